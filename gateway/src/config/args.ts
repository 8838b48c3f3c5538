import { parseArgs } from 'node:util';

export interface GatewayArgs {
  /** `--supergraph FILE`: serve this supergraph instead of SUPERGRAPH_PATH. */
  supergraphPath?: string;
}

/** Parses the gateway's command line; an unknown flag is an error rather than silently ignored. */
export function parseGatewayArgs(argv: string[] = process.argv.slice(2)): GatewayArgs {
  const { values } = parseArgs({
    args: argv,
    options: { supergraph: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  return values.supergraph === undefined ? {} : { supergraphPath: values.supergraph };
}
