// strategy/editor.ts - the Lua editor: CodeMirror 6 with Lua highlighting, a theme that
// follows the app's (reconfigured through a Compartment), lint diagnostics from the
// gateway's check at their lines (with gutter markers), and Ctrl/Cmd-S to save.

import { basicSetup } from 'codemirror';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { HighlightStyle, StreamLanguage, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lua } from '@codemirror/legacy-modes/mode/lua';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import { onThemeChange, theme } from '../theme';

export interface Problem {
  line: number;
  message: string;
}

export interface LuaEditor {
  view: EditorView;
  code(): string;
  setCode(code: string): void;
  /** Shows errors and warnings as diagnostics at their lines (line 0: the whole file → line 1). */
  showProblems(errors: Problem[], warnings: Problem[]): void;
  /** Moves the cursor to the start of a line and focuses the editor. */
  gotoLine(line: number): void;
  destroy(): void;
}

// Dark highlighting from the app's CSS variables (the light theme uses CodeMirror's default).
const darkHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--accent)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--ok)' },
  { tag: tags.number, color: 'var(--accent-2)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--fg-muted)', fontStyle: 'italic' },
  { tag: [tags.bool, tags.null, tags.atom], color: 'var(--accent-2)' },
  { tag: [tags.standard(tags.variableName), tags.function(tags.variableName)], color: 'var(--warn)' },
  { tag: tags.operator, color: 'var(--fg)' },
]);

function themeExtension(): Extension {
  const dark = theme() === 'dark';
  return [
    EditorView.theme(
      {
        '&': {
          backgroundColor: 'var(--bg-input)',
          color: 'var(--fg)',
          border: '1px solid var(--border)',
          borderRadius: '4px',
        },
        '&.cm-focused': { outline: '2px solid var(--accent-2)' },
        '.cm-content': {
          caretColor: 'var(--fg)',
          fontFamily: 'ui-monospace, "D2Coding", "NanumGothicCoding", monospace',
        },
        '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
        '.cm-gutters': {
          backgroundColor: 'var(--bg-panel)',
          color: 'var(--fg-muted)',
          borderRight: '1px solid var(--border)',
        },
        '.cm-activeLine': { backgroundColor: 'var(--bg-hover)' },
        '.cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)' },
        '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
          backgroundColor: 'color-mix(in srgb, var(--accent-2) 35%, transparent)',
        },
        '.cm-panels': { backgroundColor: 'var(--bg-panel)', color: 'var(--fg)' },
        '.cm-tooltip': { backgroundColor: 'var(--bg-panel)', color: 'var(--fg)', border: '1px solid var(--border)' },
      },
      { dark },
    ),
    syntaxHighlighting(dark ? darkHighlight : defaultHighlightStyle),
  ];
}

export function luaEditor(
  parent: HTMLElement,
  doc: string,
  opts: { label: string; onSave: () => void; onChange?: () => void },
): LuaEditor {
  const themeSlot = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        keymap.of([
          {
            key: 'Mod-s',
            preventDefault: true,
            run: () => {
              opts.onSave();
              return true;
            },
          },
        ]),
        basicSetup,
        StreamLanguage.define(lua),
        lintGutter(),
        themeSlot.of(themeExtension()),
        EditorView.contentAttributes.of({ 'aria-label': opts.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) opts.onChange?.();
        }),
      ],
    }),
  });
  const offTheme = onThemeChange(() => view.dispatch({ effects: themeSlot.reconfigure(themeExtension()) }));

  const lineRange = (n: number) => {
    const d = view.state.doc;
    const line = d.line(Math.min(Math.max(n, 1), d.lines));
    return line;
  };

  return {
    view,
    code: () => view.state.doc.toString(),
    setCode(code: string) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
      view.dispatch(setDiagnostics(view.state, []));
    },
    showProblems(errors, warnings) {
      const diag = (p: Problem, severity: 'error' | 'warning'): Diagnostic => {
        const line = lineRange(p.line);
        return { from: line.from, to: line.to, severity, message: p.message };
      };
      view.dispatch(
        setDiagnostics(view.state, [
          ...errors.map((p) => diag(p, 'error')),
          ...warnings.map((p) => diag(p, 'warning')),
        ]),
      );
    },
    gotoLine(n: number) {
      const line = lineRange(n);
      view.dispatch({
        selection: { anchor: line.from },
        effects: EditorView.scrollIntoView(line.from, { y: 'center' }),
      });
      view.focus();
    },
    destroy() {
      offTheme();
      view.destroy();
    },
  };
}
