import { statisticalYearOf, todayInVietnam, type LocalDate } from '@thads/kit';
import { SCRIPT_ASSETS, STYLE_ASSETS } from './ide-assets';

/** The query the editor opens with: one that works on any hub, for the year under way. */
export function exampleQuery(today: LocalDate = todayInVietnam()): string {
  const year = statisticalYearOf(today);
  return `# The national case ranking of statistical year ${year} (1 Oct ${year - 1} – 30 Sep ${year}).
# Credentials go in the Headers tab below: { "Authorization": "Bearer <token or API key>" }
query NationalCaseRanking {
  caseRanking(period: { year: ${year} }) {
    rank
    unit { code name }
    value
    figures { toEnforce enforceable done }
  }
}
`;
}

/** JSON that can sit inside a <script> element: no "</script>" can close it early. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The IDE's HTML: GraphiQL and its styles from files the gateway serves itself, under
 * /graphiql/ (relative links, so a proxy's path prefix keeps working).
 */
export function idePage(today?: LocalDate): string {
  const styles = STYLE_ASSETS.map((name) => `<link rel="stylesheet" href="graphiql/${name}">`).join('\n');
  const scripts = SCRIPT_ASSETS.map((name) => `<script src="graphiql/${name}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>THADS reporting hub – GraphiQL</title>
${styles}
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="ide-defaults" type="application/json">${scriptSafeJson({ query: exampleQuery(today) })}</script>
${scripts}
</body>
</html>
`;
}
