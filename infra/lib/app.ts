import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { smsOriginationIdentityContextKey } from './services/follow-up/sms';
import { CxloopStack } from './stack';

export const STACK_NAME = 'Cxloop';
export const LOCAL_SMS_ORIGINATION_IDENTITY = 'arn:aws:sms-voice:us-east-1:000000000000:pool/pool-cxloop-local';

export interface CreateAppOptions {
  outdir?: string;
  /** Skip esbuild bundling (assertion tests inspect the template, not the bundles). */
  skipBundling?: boolean;
  /**
   * Check every resource against CloudFormation's schemas (default true). It is most of the synthesis time; `cdk synth`
   * and the infra tests keep it, the local runtime's synthesis skips it.
   */
  validateResources?: boolean;
  /** CDK context on top of what the CLI passes (`cdk.json`, `-c`); tests set it here. */
  context?: Record<string, unknown>;
}

/** The CDK app with cdk-nag's AwsSolutions checks on every synth (acknowledgements carry their reasons in code). */
export function createApp(options: CreateAppOptions = {}): { app: App; stack: CxloopStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    builtinCloudFormationValidation: options.validateResources ?? true,
    context: {
      // Construct paths in resource metadata, as `cdk synth` writes them: the tests and the local runtime name by them.
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
  });
  const stack = new CxloopStack(app, STACK_NAME, {
    description: 'cxloop — closes the customer feedback loop (collection, categorisation, aggregation, follow-up)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** Synthesizes the app into `outdir` (a cloud assembly, as `cdk synth` writes it) for the local runtime. */
export async function synthesizeApp(options: { outdir: string }): Promise<SynthesizedApp> {
  // The local runtime's End User Messaging SMS accepts any origination identity: SMS work out of the box there.
  const context = { [smsOriginationIdentityContextKey]: LOCAL_SMS_ORIGINATION_IDENTITY };
  const { app, stack } = createApp({ ...options, validateResources: false, context });
  const assembly = app.synth();
  return {
    assemblyDir: assembly.directory,
    stackName: STACK_NAME,
    adminKeySecretLogicalId: stack.getLogicalId(stack.collection.adminKeySecret.node.defaultChild as never),
  };
}

export interface SynthesizedApp {
  assemblyDir: string;
  stackName: string;
  /** The AWS::SecretsManager::Secret holding the bootstrap admin API key. */
  adminKeySecretLogicalId: string;
}
