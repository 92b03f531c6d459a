// Application forms of calls (form[data-autosave]): the draft is saved as one types, through the API with the
// session's CSRF token, and questions whose condition does not hold are hidden. Without this script the form
// works the same with its « Enregistrer le brouillon » button; the server drops answers to hidden questions.
import { nestFields, type FlatFields } from '../../domain/form-fields.ts';

const DELAY_MS = 1500;

function flatFields(form: HTMLFormElement): FlatFields {
  const fields: FlatFields = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== 'string') continue;
    const previous = fields[name];
    fields[name] = previous === undefined ? value : [...[previous].flat(), value];
  }
  return fields;
}

type Condition = { champ: string; egal: string | boolean } | { champ: string; parmi: string[] };

function valuesOf(form: HTMLFormElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(name)}"]`)]
    .filter((input) => (input.type === 'radio' || input.type === 'checkbox' ? input.checked : true))
    .map((input) => input.value);
}

function updateConditions(form: HTMLFormElement): void {
  for (const block of form.querySelectorAll<HTMLElement>('[data-afficher-si]')) {
    const condition = JSON.parse(block.dataset.afficherSi!) as Condition;
    const own = block.querySelector<HTMLInputElement>('[name]')?.name ?? '';
    const prefix = own.includes('.') ? own.slice(0, own.lastIndexOf('.') + 1) : '';
    const values = valuesOf(form, prefix + condition.champ);
    const wanted = 'egal' in condition ? [typeof condition.egal === 'boolean' ? (condition.egal ? 'oui' : 'non') : condition.egal] : condition.parmi;
    const visible = values.some((v) => wanted.includes(v));
    block.hidden = !visible;
    block.style.display = visible ? '' : 'none'; // .field sets display: flex, which would override [hidden]
  }
}

function enhance(form: HTMLFormElement): void {
  const endpoint = form.dataset.autosave!;
  const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
  const version = form.querySelector<HTMLInputElement>('input[name="version"]');
  const status = form.querySelector<HTMLElement>('[data-autosave-status]');
  if (!token || !version) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> | undefined;
  let stopped = false;

  const say = (text: string) => {
    if (status) status.textContent = text;
  };

  const save = async () => {
    const donnees = nestFields(flatFields(form), ['_csrf', 'action', 'version']);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      body: JSON.stringify({ version: Number(version.value), donnees }),
    });
    if (response.ok) {
      const saved = (await response.json()) as { version: number; enregistre_le: string };
      version.value = String(saved.version);
      say(`Brouillon enregistré automatiquement à ${new Date(saved.enregistre_le).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' })}.`);
    } else if (response.status === 400) {
      say(
        'Certaines réponses ne sont pas encore valides : elles n’ont pas été enregistrées automatiquement. Le bouton « Enregistrer le brouillon » indique lesquelles.',
      );
    } else {
      stopped = true;
      const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
      say(problem?.detail ?? 'L’enregistrement automatique a échoué : utilisez le bouton « Enregistrer le brouillon ».');
    }
  };

  const schedule = () => {
    updateConditions(form);
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      saving = save()
        .catch(() => say('Enregistrement automatique impossible (connexion ?) : utilisez le bouton « Enregistrer le brouillon ».'))
        .finally(() => {
          saving = undefined;
        });
    }, DELAY_MS);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  // A submit waits for a save in flight, so that it sends the version that save produced.
  form.addEventListener('submit', (event) => {
    clearTimeout(timer);
    if (!saving) return;
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    void saving.then(() => form.requestSubmit(submitter ?? undefined));
  });
  updateConditions(form);
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-autosave]')) enhance(form);
