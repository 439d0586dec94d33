// Monaco's editor worker (word ranges, links, diff, unicode checks off the main thread), bundled by
// Vite as a module worker and created by MonacoEnvironment.getWorker in monaco.ts. It starts on
// the first message the editor posts.
import 'monaco-editor/editor/editor.worker';
