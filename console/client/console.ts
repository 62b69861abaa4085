/**
 * The console's script: quicker, never necessary (every page works without it). It checks identity numbers and
 * unified social credit codes as they are typed, with the same checks the API applies (domain/identity-checks.ts).
 *
 * Markup: `<input data-id-check="resident|uscc|subject" data-kind-field="<id of the subject-kind select>"
 * aria-describedby="<id>-check">` beside `<p id="<id>-check" class="id-check" aria-live="polite">`.
 */
import { faultTextZh, residentIdFault, usccFault, type IdKind } from '../../domain/identity-checks';

function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

function kindOf(input: HTMLInputElement): IdKind | null {
  const mode = input.dataset.idCheck;
  if (mode === 'resident' || mode === 'uscc') return mode;
  const select = document.getElementById(input.dataset.kindField ?? '') as HTMLSelectElement | null;
  if (!select || !select.value) return null;
  return select.value === 'natural_person' ? 'resident' : 'uscc';
}

/** `final`: the field was left (or came filled), so a short identifier is wrong rather than still being typed. */
function check(input: HTMLInputElement, { final }: { final: boolean }): void {
  const out = document.getElementById(`${input.id}-check`);
  if (!out) return;
  const value = input.value.trim();
  const kind = kindOf(input);
  let text = '';
  let state: 'ok' | 'bad' | 'typing' = 'typing';
  if (value && kind) {
    const fault = kind === 'resident' ? residentIdFault(value, shanghaiToday()) : usccFault(value);
    if (!fault) {
      text = kind === 'resident' ? '身份证号码校验通过' : '统一社会信用代码校验通过';
      state = 'ok';
    } else if (fault.code === 'length' && fault.got < 18 && !final) {
      text = `已输入${fault.got}位，共18位`;
    } else {
      text = faultTextZh(kind, fault);
      state = 'bad';
    }
  } else if (value && !kind) {
    text = '请先选择主体类型';
  }
  out.textContent = text;
  out.className = `id-check id-check-${state}`;
  if (state === 'bad') input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function inputs(): HTMLInputElement[] {
  return Array.from(document.querySelectorAll<HTMLInputElement>('input[data-id-check]'));
}

document.addEventListener('input', (e) => {
  const t = e.target as HTMLElement;
  if (t instanceof HTMLInputElement && t.dataset.idCheck) check(t, { final: false });
  // A changed subject kind changes which check the subject's identifier takes.
  if (t instanceof HTMLSelectElement) for (const i of inputs()) if (i.dataset.kindField === t.id && i.value) check(i, { final: false });
});
document.addEventListener('focusout', (e) => {
  const t = e.target;
  if (t instanceof HTMLInputElement && t.dataset.idCheck) check(t, { final: true });
});
document.addEventListener('DOMContentLoaded', () => {
  for (const i of inputs()) if (i.value) check(i, { final: true });
});
