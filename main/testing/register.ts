// Loaded with `node --import` by `kyma-local test`: installs the resolve hook for 'kyma-local/testing'.
import { register } from 'node:module';

register(new URL('./resolve-hook.js', import.meta.url).href);
