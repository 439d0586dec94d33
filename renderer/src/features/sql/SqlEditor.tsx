// The SQL editor: Monaco with one model per tab (each keeps its own undo and scroll), completion
// from `sql.schema`, Ctrl/Cmd+Enter to run (the selection if any, else everything), and DuckDB's
// errors as markers where they point. Files dropped on it cannot be opened by path in a
// sandboxed page, so the drop is handed to the page, which asks for the path.
import Editor from '@monaco-editor/react';
import { useEffect, useRef, type DragEvent } from 'react';
import type { SqlSchema } from '../../../../shared/model/sql';
import { useTheme } from '../../app/theme';
import { Skeleton } from '../../components/states';
import { complete, type CompletionKind } from './completion';
import { monaco } from './monaco';
import type { RunState, SqlOrigin, SqlTab } from './workspace';

type CodeEditor = ReturnType<typeof monaco.editor.create>;

export interface EditorHandle {
  /** The selection if there is one, else the whole text, with where it starts. */
  runnable(): { sql: string; origin: SqlOrigin };
  replaceAll(text: string): void;
  insert(text: string): void;
  goTo(line: number, column: number): void;
  focus(): void;
}

const MARKER_OWNER = 'dpx-sql';
const modelPath = (tabId: string) => `file:///dpx-sql/${tabId}.sql`;
const tabIdOf = (editor: CodeEditor) => /\/dpx-sql\/(.+)\.sql$/.exec(editor.getModel()?.uri.path ?? '')?.[1];

// Completion reads the schema current at the time of the keystroke. Typed before the schema
// has come (right after the page opens), it waits for it, a while, rather than offer nothing.
let completionSchema: SqlSchema | undefined;
let schemaWaiters: Array<(schema: SqlSchema) => void> = [];
let providerRegistered = false;
const SCHEMA_WAIT_MS = 10_000;

function setCompletionSchema(schema: SqlSchema | undefined): void {
  completionSchema = schema;
  if (!schema) return;
  const waiters = schemaWaiters;
  schemaWaiters = [];
  waiters.forEach((w) => w(schema));
}

function schemaForCompletion(): Promise<SqlSchema | undefined> {
  if (completionSchema) return Promise.resolve(completionSchema);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      schemaWaiters = schemaWaiters.filter((w) => w !== done);
      resolve(undefined);
    }, SCHEMA_WAIT_MS);
    const done = (schema: SqlSchema) => {
      clearTimeout(timer);
      resolve(schema);
    };
    schemaWaiters.push(done);
  });
}

const KIND: Record<CompletionKind, number> = {
  table: monaco.languages.CompletionItemKind.Struct,
  column: monaco.languages.CompletionItemKind.Field,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  function: monaco.languages.CompletionItemKind.Function,
  snippet: monaco.languages.CompletionItemKind.Snippet,
  schema: monaco.languages.CompletionItemKind.Module,
};

function registerCompletion(): void {
  if (providerRegistered) return;
  providerRegistered = true;
  monaco.languages.registerCompletionItemProvider('sql', {
    triggerCharacters: ['.', '"', "'"],
    async provideCompletionItems(model, position, _context, token) {
      const schema = await schemaForCompletion();
      if (!schema || token.isCancellationRequested) return { suggestions: [] };
      const before = model.getValueInRange(new monaco.Range(1, 1, position.lineNumber, position.column));
      const { items, replace } = complete(schema, before, model.getValue());
      const range = new monaco.Range(position.lineNumber, Math.max(1, position.column - replace), position.lineNumber, position.column);
      return {
        suggestions: items.map((i) => ({
          label: i.detail ? { label: i.label, description: i.detail } : i.label,
          kind: KIND[i.kind],
          insertText: i.insert,
          ...(i.snippet ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
          ...(i.detail ? { detail: i.detail } : {}),
          ...(i.documentation ? { documentation: { value: i.documentation } } : {}),
          ...(i.filter ? { filterText: i.filter } : {}),
          sortText: `${String(i.rank).padStart(2, '0')}${i.label.toLowerCase()}`,
          range,
        })),
      };
    },
  });
}

/** Frees the editor models (text, undo) of tabs that were closed. */
export function disposeClosedModels(openTabIds: readonly string[]): void {
  const open = new Set(openTabIds.map(modelPath));
  for (const model of monaco.editor.getModels()) {
    const path = model.uri.toString();
    if (path.startsWith('file:///dpx-sql/') && !open.has(path)) model.dispose();
  }
}

/** Where an error at (line, column) of the SQL that ran sits in the editor, given where that SQL started. */
export function editorPosition(origin: SqlOrigin, line: number, column: number): { line: number; column: number } {
  return line === 1 ? { line: origin.line, column: origin.column + column - 1 } : { line: origin.line + line - 1, column };
}

function errorMarker(tabId: string, run: RunState): Parameters<typeof monaco.editor.setModelMarkers>[2] {
  if (run.status !== 'error') return [];
  const { error, origin } = run;
  const line = Number(error.details?.line);
  const column = Number(error.details?.column);
  if (!Number.isFinite(line) || !Number.isFinite(column) || line < 1) return [];
  const model = monaco.editor.getModel(monaco.Uri.parse(modelPath(tabId)));
  if (!model) return [];
  const at = editorPosition(origin, line, Math.max(1, column));
  const lineNumber = Math.min(at.line, model.getLineCount());
  const maxColumn = model.getLineMaxColumn(lineNumber);
  let startColumn = Math.min(at.column, maxColumn);
  const word = model.getWordAtPosition({ lineNumber, column: startColumn });
  let endColumn = word && word.startColumn === startColumn ? word.endColumn : startColumn + 1;
  if (startColumn >= maxColumn) {
    // At the end of the input: mark the last character so the squiggle is visible.
    startColumn = Math.max(1, maxColumn - 1);
    endColumn = maxColumn;
  }
  const message = error.message.replace(/\s*\(line \d+, column \d+\)$/, '');
  return [{ severity: monaco.MarkerSeverity.Error, message, startLineNumber: lineNumber, startColumn, endLineNumber: lineNumber, endColumn: Math.min(endColumn, maxColumn) }];
}

export function SqlEditor({ tab, schema, onRun, onChange, onReady, onSelection, onDropFiles }: { tab: SqlTab; schema: SqlSchema | undefined; onRun(): void; onChange(tabId: string, sql: string): void; onReady(handle: EditorHandle | null): void; onSelection(hasSelection: boolean): void; onDropFiles(files: File[]): void }) {
  const { theme } = useTheme();
  const editorRef = useRef<CodeEditor | null>(null);
  const latest = useRef({ onRun, onChange, onSelection });
  useEffect(() => {
    latest.current = { onRun, onChange, onSelection };
  });

  useEffect(() => {
    setCompletionSchema(schema);
  }, [schema]);

  // Markers follow the tab's last run: an error puts one where DuckDB points, anything else clears it.
  const { run, id } = tab;
  useEffect(() => {
    const model = monaco.editor.getModel(monaco.Uri.parse(modelPath(id)));
    if (!model) return;
    const markers = errorMarker(id, run);
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
    const m = markers[0];
    if (m && editorRef.current?.getModel() === model) editorRef.current.revealLineInCenterIfOutsideViewport(m.startLineNumber);
  }, [id, run]);

  useEffect(() => () => onReady(null), [onReady]);

  // A tab just opened or switched to is for typing in.
  useEffect(() => {
    editorRef.current?.focus();
  }, [id]);

  const onMount = (editor: CodeEditor) => {
    editorRef.current = editor;
    registerCompletion();
    editor.addAction({
      id: 'dpx.sql.run',
      label: 'Run the query (the selection if any)',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 0,
      run: () => latest.current.onRun(),
    });
    editor.onDidChangeCursorSelection((e) => latest.current.onSelection(!e.selection.isEmpty()));
    editor.onDidChangeModelContent(() => {
      // An edit starts the fix: the marker of the last run's error no longer says where the text is wrong.
      const model = editor.getModel();
      if (model && monaco.editor.getModelMarkers({ owner: MARKER_OWNER, resource: model.uri }).length) monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      const tabId = tabIdOf(editor);
      if (tabId) latest.current.onChange(tabId, editor.getValue());
    });
    const handle: EditorHandle = {
      runnable() {
        const model = editor.getModel();
        const sel = editor.getSelection();
        if (model && sel && !sel.isEmpty()) return { sql: model.getValueInRange(sel), origin: { line: sel.startLineNumber, column: sel.startColumn } };
        return { sql: model?.getValue() ?? '', origin: { line: 1, column: 1 } };
      },
      replaceAll(text) {
        const model = editor.getModel();
        if (!model) return;
        editor.pushUndoStop();
        editor.executeEdits('dpx', [{ range: model.getFullModelRange(), text }]);
        editor.pushUndoStop();
        editor.setPosition(model.getPositionAt(text.length));
        editor.focus();
      },
      insert(text) {
        const sel = editor.getSelection();
        if (!sel) return;
        editor.executeEdits('dpx', [{ range: sel, text, forceMoveMarkers: true }]);
        editor.focus();
      },
      goTo(line, column) {
        editor.setPosition({ lineNumber: line, column });
        editor.revealPositionInCenterIfOutsideViewport({ lineNumber: line, column });
        editor.focus();
      },
      focus: () => editor.focus(),
    };
    onReady(handle);
    editor.focus();
  };

  const isFileDrag = (e: DragEvent) => e.dataTransfer.types.includes('Files');

  return (
    <div
      className="sql-editor"
      data-testid="sql-editor"
      onDragOverCapture={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDropCapture={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        e.stopPropagation();
        onDropFiles([...e.dataTransfer.files]);
      }}
    >
      <Editor
        path={modelPath(tab.id)}
        defaultValue={tab.sql}
        defaultLanguage="sql"
        theme={theme === 'dark' ? 'dpx-dark' : 'dpx-light'}
        onMount={onMount}
        loading={<Skeleton height={120} />}
        options={{
          minimap: { enabled: false },
          fontSize: 13,
          fontFamily: "ui-monospace, 'SF Mono', SFMono-Regular, Menlo, Consolas, 'JetBrains Mono', 'DejaVu Sans Mono', 'Liberation Mono', monospace",
          lineNumbersMinChars: 3,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fixedOverflowWidgets: true,
          tabSize: 2,
          renderLineHighlight: 'line',
          placeholder: 'SELECT * FROM "sales.orders" LIMIT 100  —  Ctrl+Enter runs it',
          quickSuggestions: { other: true, comments: false, strings: true },
          suggest: { showWords: true, preview: false },
          wordBasedSuggestions: 'currentDocument',
          scrollbar: { alwaysConsumeMouseWheel: false },
          padding: { top: 6 },
        }}
      />
    </div>
  );
}
