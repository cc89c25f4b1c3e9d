// The page test/inspect-viewer.test.ts opens: Inspect's log viewer on one log file, mounted as the
// viewer's own standalone build mounts it for `?log_file=`. With no log directory, the viewer
// reads just that file instead of looking for a listing.
import { App, type Capabilities, clientApi, initializeStore, simpleHttpApi } from "@metrevals/inspect-log-viewer";
import "@metrevals/inspect-log-viewer/styles/index.css";
import { createRoot } from "react-dom/client";

const logFile = new URLSearchParams(location.search).get("log_file");
if (!logFile) throw new Error("missing ?log_file=<url of a .json eval log>");
const api = clientApi(simpleHttpApi(undefined, logFile), logFile);
const capabilities: Capabilities = { downloadFiles: false, downloadLogs: false, webWorkers: true, streamSamples: false, streamSampleData: false };
initializeStore(api, capabilities, undefined);
const root = document.getElementById("app");
if (!root) throw new Error("no #app element");
createRoot(root).render(<App api={api} />);
