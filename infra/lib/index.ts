export { createApp, STACK_NAME, synthesizeApp } from './app';
export { CxloopStack } from './stack';
