export { createApp, STACK_NAME, type SynthesizedApp, synthesizeApp } from './app';
export { CxloopStack } from './stack';
