import { useComputedColorScheme } from '@mantine/core';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { EditorView, basicSetup } from 'codemirror';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { FieldProblem } from './yaml-fields.js';

export interface YamlEditorHandle {
  getText(): string;
  setText(text: string): void;
  reveal(pos: number): void;
}

/** CodeMirror with YAML highlighting; problems are drawn at their field (underline, gutter marker, tooltip). */
export const YamlEditor = forwardRef<YamlEditorHandle, { initial: string; problems: FieldProblem[]; onChange?: () => void; label: string }>(function YamlEditor(
  { initial, problems, onChange, label },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(null);
  const theme = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;
  const scheme = useComputedColorScheme('light');

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initial,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          theme.current.of(scheme === 'dark' ? oneDark : []),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current?.();
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The document is owned by CodeMirror after creation; `initial` only seeds it.
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(scheme === 'dark' ? oneDark : []) });
  }, [scheme]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const diags: Diagnostic[] = problems.map((p) => ({
      from: Math.min(p.from, len),
      to: Math.min(Math.max(p.to, p.from), len),
      severity: 'error',
      message: p.field ? `${p.field}: ${p.message}` : p.message,
    }));
    v.dispatch(setDiagnostics(v.state, diags));
  }, [problems]);

  useImperativeHandle(ref, () => ({
    getText: () => view.current?.state.doc.toString() ?? '',
    setText: (text) => {
      const v = view.current;
      if (v) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    },
    reveal: (pos) => {
      const v = view.current;
      if (!v) return;
      v.dispatch({ selection: { anchor: Math.min(pos, v.state.doc.length) }, scrollIntoView: true });
      v.focus();
    },
  }));

  return <div ref={host} className="kl-yaml" data-testid="yaml-editor" />;
});
