/** baton's version; part of every run id. A test keeps it equal to package.json. */
export const BATON_VERSION = '0.1.0';
