import { App } from 'cdktf';
import { buildApp } from './stacks/app';

const app = new App();
buildApp(app);
app.synth();
