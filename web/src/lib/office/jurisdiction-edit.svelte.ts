import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import { text } from '#lib/i18n.ts';
import { page } from '$app/state';
import type { OfficeSession } from './office-session.svelte.ts';
import { chosenJurisdiction } from './record/record-list.svelte.ts';
import { VersionedEdit } from './versioned-edit.svelte.ts';

/**
 * An administrator's page that edits one versioned record of a jurisdiction (its escalation
 * policy, reward policy, contacts, names): the jurisdiction is the one the address asks for
 * among the person's (`?jurisdiction=`), else their first; its record is loaded, and loaded
 * again when another is chosen (an answer for a jurisdiction no longer chosen is dropped);
 * `shown` gets the record after a load, a save or a 409, to fill the page's forms from it.
 * Made while the page's component is set up: it registers the page's load effect.
 */
export class JurisdictionEdit<View, Form extends string = 'form'> extends VersionedEdit<Form> {
  /** The record as last read or saved; undefined while it loads. */
  view = $state<View>();
  private readonly session: OfficeSession;
  private readonly shown: (view: View) => void;

  constructor(options: {
    idPrefix: string;
    session: OfficeSession;
    load: (jurisdiction: string) => Promise<View | undefined>;
    /** Said when the jurisdiction has no such record (for a load that may find none). */
    missing?: Bilingual;
    shown: (view: View) => void;
  }) {
    super(options.idPrefix);
    this.session = options.session;
    this.shown = options.shown;
    $effect(() => {
      const code = this.jurisdiction;
      this.reset();
      this.view = undefined;
      options
        .load(code)
        .then((found) => {
          if (code !== this.jurisdiction) return;
          if (found) this.show(found);
          else if (options.missing) this.failure = text(options.missing);
          else this.fail(new Error(`nothing to edit for ${code}`));
        })
        .catch((error: unknown) => {
          if (code === this.jurisdiction) this.fail(error);
        });
    });
  }

  /** The jurisdiction the page edits. */
  get jurisdiction(): string {
    return chosenJurisdiction(
      page.url.searchParams.get('jurisdiction'),
      this.session.person.jurisdictions,
    );
  }

  /** Shows a record (pass to `save` as what to do with its answer). */
  readonly show = (view: View): void => {
    this.view = view;
    this.shown(view);
  };

  /** The issues no field of the page shows (the record as a whole, an order of steps). */
  get issuesWithoutField(): string[] {
    return this.unplacedIssues((id) => Boolean(document.getElementById(id)));
  }
}
