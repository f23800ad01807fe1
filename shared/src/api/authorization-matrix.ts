import { roleNames, roles } from '../auth/principal.ts';
import type { RouteDefinition, Scope } from './route-definition.ts';

/**
 * Who may call what, and within which jurisdiction: rendered from the route table as the
 * committed docs/authorization-matrix.md (shared/src/api/write-authorization-matrix.ts
 * writes it; a test fails while it is stale). The table is the source; the file is there to
 * be read and reviewed, and tests/integration/authorization.test.ts calls every route ×
 * every role to hold the server to it.
 */
export const authorizationMatrixFile = new URL(
  '../../../docs/authorization-matrix.md',
  import.meta.url,
);

const recordNames = {
  tip: { zh: '举报线索', en: 'tip' },
  hazard: { zh: '隐患', en: 'hazard' },
} as const;

/** The scope column: which input names the jurisdiction, and what another one gets. */
export function scopeText(route: RouteDefinition): string {
  if (route.access.kind === 'public') {
    return '公开：不含任何办公记录，或仅含所持回执、链接对应的记录 / public: nothing of an office, or only what its receipt or link opens';
  }
  const scope: Scope = route.access.scope;
  switch (scope.in) {
    case 'path':
      return `路径 \`{${scope.field}}\` 须为本人辖区，否则 403 / path \`{${scope.field}}\` in the caller's jurisdictions, else 403`;
    case 'query':
      return `查询参数 \`${scope.field}\` 须为本人辖区，否则 403 / query \`${scope.field}\` in the caller's jurisdictions, else 403`;
    case 'body':
      return `请求体 \`${scope.field}\` 须为本人辖区，否则 403 / body \`${scope.field}\` in the caller's jurisdictions, else 403`;
    case 'record': {
      const name = recordNames[scope.record];
      return `按 \`{${scope.id}}\` 载入的${name.zh}须属本人辖区，否则 404 / the ${name.en} \`{${scope.id}}\` names, loaded, of the caller's jurisdictions, else 404`;
    }
    case 'none':
      return `不限辖区：${scope.reason.zh} / none: ${scope.reason.en}`;
  }
}

function admits(route: RouteDefinition, role: (typeof roles)[number] | 'anonymous'): boolean {
  if (route.access.kind === 'public') return true;
  if (role === 'anonymous') return false;
  return route.access.roles === 'any' || route.access.roles.includes(role);
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The matrix as Markdown: one row per route, a column per role, and the scope. */
export function renderAuthorizationMatrix(table: readonly RouteDefinition[]): string {
  const columns = ['anonymous', ...roles] as const;
  const header = [
    '接口 / Route',
    '匿名 / Anonymous',
    ...roles.map((role) => `${roleNames[role].zh} / ${roleNames[role].en}`),
    '辖区范围 / Jurisdiction scope',
  ];
  const rows = table.map((route) => [
    `\`${route.method} ${route.path}\` (${route.operationId})`,
    ...columns.map((role) => (admits(route, role) ? '✓' : '—')),
    scopeText(route),
  ]);
  return [
    '# 授权矩阵 / Authorization matrix',
    '',
    '由路由表生成，请勿手改 / Generated from the route table (shared/src/*/routes.ts): do not edit.',
    'After changing a route, run `node shared/src/api/write-authorization-matrix.ts`;',
    'shared/src/api/authorization-matrix.test.ts fails while this file is stale.',
    '',
    '✓ 可调用 / may call; — 拒绝（匿名 401，其他角色 403）/ refused (anonymous 401, other roles 403).',
    '',
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
  ].join('\n');
}
