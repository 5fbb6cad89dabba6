import type { MongoClient } from 'mongodb';

/**
 * A client for the URL, not yet connected. The driver is loaded here, not at import, so the
 * embedded default never loads it; a URL the driver refuses is said without repeating it (it may
 * hold a password): the caller names the setting.
 */
export function newMongoClient(url: string, serverSelectionTimeoutMs = 5000): MongoClient {
  const { MongoClient: Client } = require('mongodb') as typeof import('mongodb');
  try {
    return new Client(url, { ignoreUndefined: true, serverSelectionTimeoutMS: serverSelectionTimeoutMs });
  } catch (error) {
    throw new Error(`invalid MongoDB URL: ${(error as Error).message}`);
  }
}
