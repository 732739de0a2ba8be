// The extension-host tests' entry (extensionTestsPath): the files register their tests in this order.
import "./activation.test";
import "./diagnostics.test";
import "./configCommands.test";
import "./engine.test";
import "./clientBoundary.test";
import { runTests } from "../harness";

export function run(): Promise<void> {
  return runTests();
}
