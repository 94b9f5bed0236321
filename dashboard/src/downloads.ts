// "Tải CSV" and "Tải Excel (XLSX)": files made by the gateway's /export endpoints, fetched with
// the tab's credential. A plain link cannot carry the Authorization header, so the file is
// fetched here and handed to the browser as a Blob.

import { ApiError, apiErrorOf } from './api.js';
import { h } from './dom.js';
import { currentLang, t } from './i18n.js';
import type { PeriodInput } from './period.js';
import { authorization } from './session.js';
import { errorBox } from './view.js';

/** Which export and for what: `/export/form` or `/export/ranking`, its own parameters, the period and the hierarchy date. */
export interface ExportRequest {
  path: '/export/form' | '/export/ranking';
  params: Record<string, string>;
  period: PeriodInput;
  asOf: string;
}

/** The export's URL for a format, in the language on screen. */
export function exportUrl(request: ExportRequest, format: 'csv' | 'xlsx'): string {
  const query = new URLSearchParams(request.params);
  for (const [name, value] of Object.entries(request.period)) if (value !== undefined) query.set(name, String(value));
  if (request.asOf) query.set('asOf', request.asOf);
  query.set('format', format);
  query.set('lang', currentLang());
  return `${request.path}?${query.toString()}`;
}

/** The file name the gateway gives in Content-Disposition (ASCII, quoted). */
function fileNameOf(response: Response, fallback: string): string {
  return /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
}

/** Fetches an export as the caller and saves it; a refusal is thrown as the API's error. */
export async function download(request: ExportRequest, format: 'csv' | 'xlsx'): Promise<void> {
  const headers: Record<string, string> = {};
  const auth = authorization();
  if (auth) headers.authorization = auth;
  let response: Response;
  try {
    response = await fetch(exportUrl(request, format), { headers });
  } catch (err) {
    throw new ApiError('NETWORK', err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    // The gateway answers a refusal as the API does: { errors: [{ message, extensions: { code } }] }.
    const body = (await response.json().catch(() => ({}))) as { errors?: { message: string; extensions?: { code?: string } }[] };
    throw body.errors?.length ? apiErrorOf(body.errors) : new ApiError('NETWORK', `HTTP ${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: fileNameOf(response, `thads.${format}`) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A group of the two buttons for one export, with an optional label (which file it is). The
 * request is read when a button is pressed, so it follows the period and language on screen.
 * A refusal appears beside the buttons in plain words.
 */
export function exportButtons(id: string, label: string | null, request: () => ExportRequest): HTMLElement {
  const problem = h('div', { class: 'export-error' });
  const button = (format: 'csv' | 'xlsx', text: string) => {
    const el = h('button', { type: 'button', class: `export ${format}`, 'data-export': id, 'data-format': format }, text);
    el.addEventListener('click', () => {
      el.disabled = true;
      problem.replaceChildren();
      download(request(), format)
        .catch((err: unknown) => problem.replaceChildren(errorBox(err)))
        .finally(() => (el.disabled = false));
    });
    return el;
  };
  return h(
    'span',
    { class: 'export-group', 'data-export-group': id },
    label ? h('span', { class: 'export-label' }, `${label}:`) : null,
    button('csv', t('downloadCsv')),
    button('xlsx', t('downloadXlsx')),
    problem,
  );
}
