import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { describeFailure, NO_PROBLEM_WORDS, type ProblemWords } from '../api/problem-text';
import { useI18n } from '../i18n/i18n';

let loadedWords: ProblemWords | undefined;
let loadingWords: Promise<ProblemWords> | undefined;

/** The words for problem codes, loaded with the first refusal shown (not with the first page); none if they cannot be loaded. */
export function useProblemWords(): ProblemWords | undefined {
  const [words, setWords] = useState(loadedWords);
  useEffect(() => {
    if (words) return;
    loadingWords ??= import('../i18n/problem-messages').then((module) => module.PROBLEM_MESSAGES, () => NO_PROBLEM_WORDS).then((loaded) => (loadedWords = loaded));
    void loadingWords.then(setWords);
  }, [words]);
  return words;
}

/** A failed request in one message, in the language picked (the API's detail where the console has no words for its code), with the field messages that add to it. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { language } = useI18n();
  const words = useProblemWords();
  if (!words) return null;
  const { message, fields } = describeFailure(error, language, words);
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      message={message}
      description={fields.length > 0 ? <ul>{fields.map((field) => <li key={field}>{field}</li>)}</ul> : undefined}
    />
  );
}
