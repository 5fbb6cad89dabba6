import { useState } from 'react';
import { App, Form } from 'antd';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** A resource as the API answers it: its revision (If-Match) and what this principal may do now. */
interface Decided<A extends string> {
  readonly revision: number;
  readonly allowedActions: ReadonlyArray<{ readonly action: A; readonly allowed: boolean; readonly reason: { readonly code: string; readonly message: string } | null }>;
}

/** A 412: the action and revision decided on, the resource now (and what else the page shows of the change), what was typed. */
export type Conflict<A extends string, R extends Decided<A>, X> = { readonly action: A; readonly yours: number; readonly fresh: R; readonly values: Record<string, unknown> } & X;

/**
 * One action at a time on a resource, decided on the revision shown: its form is opened, validated and
 * sent with If-Match; a 412 (someone changed it meanwhile) keeps what was typed and the resource as it is
 * now, and "reload and decide again" reopens the form on the new revision if the API still allows it.
 * `send` answers false when it sent nothing (the form stays open).
 */
export function useActionFlow<A extends string, R extends Decided<A>, X = object>(options: {
  readonly send: (action: A, values: Record<string, unknown>, revision: number) => Promise<unknown>;
  readonly fetchFresh: (action: A, revision: number) => Promise<{ readonly fresh: R } & X>;
  readonly refresh: () => Promise<unknown>;
  readonly show: (fresh: R) => void;
}) {
  const { live } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [active, setActive] = useState<{ action: A; revision: number } | null>(null);
  const [conflict, setConflict] = useState<Conflict<A, R, X> | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const open = (action: A, revision: number, values?: Record<string, unknown>) => {
    form.resetFields();
    if (values) form.setFieldsValue(values);
    setFailure(null);
    setActive({ action, revision });
  };

  const submit = async () => {
    if (!active) return;
    // A missing or bad field is shown by the form itself; nothing is sent (an uncaught rejection otherwise).
    const values = await form.validateFields().catch(() => null) as Record<string, unknown> | null;
    if (!values) return;
    setSubmitting(true);
    try {
      if (await options.send(active.action, values, active.revision) === false) return;
      setActive(null);
      form.resetFields();
      // An element, not a string: a string keeps the language it was made in while the toast shows.
      void message.success(live('action.done'));
      await options.refresh();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        // Someone else decided first: show what they did, keep what this person typed.
        const now = await options.fetchFresh(active.action, active.revision);
        setConflict({ ...now, action: active.action, yours: active.revision, values: form.getFieldsValue(true) as Record<string, unknown> } as Conflict<A, R, X>);
        setActive(null);
      } else setFailure(error);
    } finally {
      setSubmitting(false);
    }
  };

  const reloadAndDecideAgain = () => {
    if (!conflict) return;
    options.show(conflict.fresh);
    void options.refresh();
    const still = conflict.fresh.allowedActions.find((entry) => entry.action === conflict.action);
    setConflict(null);
    if (still?.allowed) open(conflict.action, conflict.fresh.revision, conflict.values);
  };

  return {
    form, active, open, close: () => setActive(null), submit, submitting, failure,
    conflict, closeConflict: () => setConflict(null), reloadAndDecideAgain,
    /** The entry of the conflicting action in the resource now (refused: the page says why). */
    stillAllowed: conflict?.fresh.allowedActions.find((entry) => entry.action === conflict.action),
  };
}
