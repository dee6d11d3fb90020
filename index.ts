// Entry point: wiring only. Settings are read and validated in full before the first
// resource is registered; a bad stack config stops here with nothing deployed.
import { loadSettings } from "./components/config";
import { createStack } from "./components/stack";
import { startProgram } from "./lib/startup";

startProgram();
export = createStack(loadSettings());
