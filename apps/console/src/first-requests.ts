// A script of its own, before the console's (index.html): the first screen's requests leave while the rest loads.
import { askFirstRequests } from './app/first-requests';

askFirstRequests(window.location.hash);
