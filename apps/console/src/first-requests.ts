// A script of its own, before the console's (index.html): the first screen's requests leave while the rest loads.
import { askFirstRequests, warmDateFormats } from './app/first-requests';

askFirstRequests(window.location.hash);
// Once the requests have left, while the console's code is still on its way: the main thread has nothing else to do yet.
setTimeout(warmDateFormats, 0);
