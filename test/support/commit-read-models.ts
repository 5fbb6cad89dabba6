/**
 * One of several processes that commit to the same read-store file at once, as the API's projection
 * worker, its as-of jobs and a CLI rebuild do: each commits `batches` batches of documents under its
 * own checkpoint, as fast as it can. Prints `committed N` or the first error.
 * Arguments: file, checkpoint name, batches.
 */
import { SqliteReadStore, generationCollection } from '@app/read-store';

const [filename, name, batches] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4])];
const collection = generationCollection(name, 'documents');
void (async () => {
  const store = new SqliteReadStore({ filename });
  let committed = 0;
  try {
    await store.ensureCollections([{ name: collection }]);
    for (let batch = 1; batch <= batches; batch += 1) {
      const documents = Array.from({ length: 50 }, (_, index) => ({ kind: 'put' as const, collection, document: { id: `d-${batch}-${index}`, batch } }));
      await store.commit(name, documents, batch, { expectedPosition: batch - 1 });
      committed += 1;
    }
    process.stdout.write(`committed ${committed}\n`);
  } catch (error) {
    process.stdout.write(`failed after ${committed}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
})();
