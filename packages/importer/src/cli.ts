/**
 * npm run import -- --from delighted-json <dir> | --from csv <file> [--map field=Column,…] [--preset delighted-csv]
 *                   --api <url> --key <admin key> --survey <id> [--dry-run] [--rejects <file>] [--json]
 */
import { parseArgs } from 'node:util';
import { parseMapSpec } from './csv';
import { type ImportOptions, runImport } from './run';

const usage = `Imports another system's answers into a cxloop survey, marked historical (never followed up).

  npm run import -- --from delighted-json <dir>   pages of survey_responses.json (expand[]=person) and people.json
  npm run import -- --from csv <file> --map score=Score,comment=Comment,sourceId=ID,answeredAt=Date[,email=…,name=…,id=…,properties.<name>=<Column>]
  npm run import -- --from csv <file> --preset delighted-csv [--map …]

  --api <url> --key <admin key> --survey <id>   where to import (always the API, on AWS as locally)
  --dry-run            parse and check every row, send nothing
  --rejects <file>     every rejected row with its line (CSV) or file and index (JSON) and why; default beside the input
  --concurrency <n>    batches of 100 in flight (default 2, the import function's reserved concurrency)
  --json               print the summary as JSON`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' },
    map: { type: 'string' },
    preset: { type: 'string' },
    api: { type: 'string' },
    key: { type: 'string' },
    survey: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    rejects: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const input = positionals[0];
if (values.help || !input || (values.from !== 'csv' && values.from !== 'delighted-json')) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const options: ImportOptions = {
  from: values.from,
  input,
  map: parseMapSpec(values.map),
  dryRun: values['dry-run'],
  concurrency: Math.max(1, Number(values.concurrency) || 2),
  ...(values.preset ? { preset: values.preset } : {}),
  ...(values.api ? { api: values.api } : {}),
  ...(values.key ? { key: values.key } : {}),
  ...(values.survey ? { survey: values.survey } : {}),
  ...(values.rejects ? { rejects: values.rejects } : {}),
};

try {
  const summary = await runImport(options, { progress: process.stderr });
  if (values.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(
      [
        `${summary.dryRun ? 'Checked (dry run, nothing sent)' : 'Imported'}: read ${summary.read}, ` +
          (summary.dryRun
            ? `valid ${summary.valid}, `
            : `imported ${summary.imported}, duplicates ${summary.duplicates}, `) +
          `rejected ${summary.rejected} in ${summary.seconds} s (${summary.rowsPerSecond} rows/s, peak RSS ${summary.peakRssMiB} MiB)`,
        `Rejected rows: ${summary.rejectsFile}`,
      ].join('\n'),
    );
  }
} catch (error) {
  console.error(`Import failed: ${(error as Error).message}`);
  console.error(
    'What was imported stays; running the same command again carries on (rows already imported are duplicates).',
  );
  process.exit(1);
}
