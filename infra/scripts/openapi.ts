/** Writes the OpenAPI document of every route contract (`npm run openapi:generate`). */
import { writeFileSync } from 'node:fs';
import { apiDocumentPath, renderApiDocument } from '../lib/api-document';

writeFileSync(apiDocumentPath, renderApiDocument());
console.log(`wrote ${apiDocumentPath}`);
