/** Names shared by the app, the boot script in index.html and the service worker. */
export const DOOR_DB = "petshots-door";
export const DOOR_DB_VERSION = 1;
/** localStorage: ids of the certificates saved on this device (the boot script skips
 *  downloading one it already has). */
export const DOOR_CACHED_HINT = "petshots.door.cached";
export const SHELL_CACHE_PREFIX = "petshots-shell-";
export const RUNTIME_CACHE = "petshots-runtime";
/** localStorage: each pet's Quick Show pick (a few hundred bytes), readable synchronously by
 *  the boot script, so the door's first paint needs no IndexedDB round trip. */
export const DOOR_PICKS_KEY = "petshots.door.picks";
/** Cache Storage: each pick's image at DOOR_FILE_PATH + record id, answered by the service
 *  worker: the boot script can put <img src> in its very first paint. */
export const DOOR_FILE_CACHE = "petshots-door-files";
export const DOOR_FILE_PATH = "/door/file/";
