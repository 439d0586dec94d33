// Monaco, bundled with the app (no CDN: the CSP allows no remote script). Only the editor API, the
// SQL language and the editor features the workspace uses are imported, not the `monaco-editor`
// entry (every language, the TypeScript/CSS/HTML/JSON services and their workers, ~14 MB).
//
// Monaco 0.57's package exports map `monaco-editor/<path>` to `esm/vs/<path>.js`, so the old
// `monaco-editor/esm/vs/...` specifiers and `editor.worker?worker` no longer resolve. Its ESM
// build creates the editor worker itself: the editor worker service points at
// `new URL('../../common/services/editorWebWorkerMain.js', import.meta.url)`, which Vite bundles
// as a module-worker entry, and starts it through a small blob: bootstrap that imports that URL
// (the CSP allows `worker-src 'self' blob:`, and the import is same-origin, so `script-src 'self'`
// holds). MonacoEnvironment.getWorker below builds the same worker explicitly, so it does not
// depend on how a bundler treats that `new URL` (see vite.config.ts: no Monaco plugin needed).
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/languages/definitions/sql/register';
import { loader } from '@monaco-editor/react';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker?(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker: () => new Worker(new URL('./editor-worker.ts', import.meta.url), { type: 'module', name: 'monaco-editor-worker' }),
};

// @monaco-editor/react uses this instance instead of fetching Monaco from a CDN.
loader.config({ monaco });

// The app's palettes (styles.css), so the editor sits on the same surface as the panels around it.
monaco.editor.defineTheme('dpx-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '4350c4', fontStyle: 'bold' },
    { token: 'string', foreground: '1d8049' },
    { token: 'number', foreground: '2f6cc8' },
    { token: 'comment', foreground: '858e99', fontStyle: 'italic' },
    { token: 'predefined', foreground: '7352c9' },
    { token: 'operator', foreground: '535c67' },
  ],
  colors: {
    'editor.background': '#ffffff',
    'editor.foreground': '#1b1f24',
    'editorLineNumber.foreground': '#b4bac2',
    'editorLineNumber.activeForeground': '#535c67',
    'editor.lineHighlightBackground': '#f6f7f9',
    'editor.selectionBackground': '#d9dcf7',
    'editorGutter.background': '#ffffff',
    'editorWidget.background': '#ffffff',
    'editorWidget.border': '#cdd2d9',
    'editorSuggestWidget.background': '#ffffff',
    'editorSuggestWidget.border': '#cdd2d9',
    'editorSuggestWidget.selectedBackground': '#eef0fd',
    'editorError.foreground': '#c9302c',
  },
});
monaco.editor.defineTheme('dpx-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: 'aab1f8', fontStyle: 'bold' },
    { token: 'string', foreground: '46bf78' },
    { token: 'number', foreground: '64a2f2' },
    { token: 'comment', foreground: '6f7782', fontStyle: 'italic' },
    { token: 'predefined', foreground: 'a58af0' },
    { token: 'operator', foreground: 'a2a9b4' },
  ],
  colors: {
    'editor.background': '#17191e',
    'editor.foreground': '#e3e6ea',
    'editorLineNumber.foreground': '#4a505a',
    'editorLineNumber.activeForeground': '#a2a9b4',
    'editor.lineHighlightBackground': '#1e2127',
    'editor.selectionBackground': '#34395e',
    'editorGutter.background': '#17191e',
    'editorWidget.background': '#1e2127',
    'editorWidget.border': '#3a3f49',
    'editorSuggestWidget.background': '#1e2127',
    'editorSuggestWidget.border': '#3a3f49',
    'editorSuggestWidget.selectedBackground': '#272b32',
    'editorError.foreground': '#f07070',
  },
});

export { monaco };
export type Monaco = typeof monaco;
