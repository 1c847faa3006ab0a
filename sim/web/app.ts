// The vocabulary of a simulated web frontend: its pages, what each shows and which API answer fills it.
// A frontend is declared in these terms (web/apps.ts) and served by the one web front (web/front.ts), so
// every page has the same structure, selectors and behaviour, which docs/simulator.md describes once.

/** How a cell shows its value: text as it is, a euro amount, a signed percentage, a number, a date. */
export type CellFormat = 'text' | 'eur' | 'pct' | 'number' | 'date';

export interface WebColumn {
  label: string;
  /** A dotted path into each item, e.g. `dailyRate.amount`, `title.rendered`. */
  field: string;
  format?: CellFormat;
}

export interface WebTable {
  /** The table's id (`#equipment`), also its test id. */
  id: string;
  /** The section heading above the table. */
  heading: string;
  /** The API path the page script reads through the frontend (`/bff` + path), e.g. `/api/equipment`. */
  source: string;
  /** The key of the item array in the answer; empty when the answer is the array itself. */
  items: string;
  columns: WebColumn[];
  /** Shown in place of rows when the list is empty. */
  empty: string;
  /**
   * Records made during a run (bookings, assessments): their ids and count differ between environments.
   * The table is a dynamic region (`data-dynamic`) in a box of fixed height, so what follows never moves.
   */
  dynamic?: boolean;
}

export interface WebPage {
  /** `/` or `/bookings`. */
  path: string;
  /** The navigation label and the document title's first part. */
  title: string;
  heading: string;
  intro: string;
  /** A search field that filters the first table's rows (the page's one form input). */
  search?: { label: string; placeholder: string };
  tables: WebTable[];
  /** A line naming when the API's figures were taken (`asOf`): a dynamic region. */
  asOf?: { source: string; field: string };
}

export interface WebApp {
  /** The product's name, in the header and the title. */
  name: string;
  version: string;
  /** The service whose API the pages read (its own id for a service that serves both). */
  api: string;
  /** The header's colour; each product looks like itself. */
  accent: string;
  /** The hero image's description (its alt text). */
  hero: string;
  pages: WebPage[];
}
