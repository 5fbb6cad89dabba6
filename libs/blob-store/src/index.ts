export * from './blob-store.port';
export * from './file/file.blob-store';
export * from './mongodb/gridfs.blob-store';
