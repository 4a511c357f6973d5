// Eligo's authoring module: the API of index.js (see there), from a build of the engine
// that also reads rule sets' TOML text, so `load({ id?, files })` takes loose rule files, as
// the rule playground edits them. About 45 KB gzip larger than the runtime module.

import * as glue from "./eligo_authoring.js";
import { bind, isEligoError } from "./api.js";

export const { init, createEngine, Engine } = bind(glue, () => new URL("eligo_authoring_bg.wasm", import.meta.url));
export { isEligoError };
export default init;
