/**
 * Installs zod's English error messages for zod mini. Classic zod installs them by itself; zod mini
 * (which the Lambdas use for their smaller bundles and faster start) loads no locale, so without this every
 * issue would read "Invalid input" and the 400 answers would no longer say what is wrong with a field.
 * Every module that defines zod schemas imports this file for its side effect, so the messages are in
 * place before any of its schemas parses, whichever module a Lambda happens to load first.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// Only when nothing else chose a locale: an explicit z.config(...) elsewhere (a test, a host app) wins.
if (!config().localeError) config(en());
