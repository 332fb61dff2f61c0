// Keeps one ldhooks note on a GitLab merge request: `node .gitlab/ldhooks-mr-note.mjs FILE`
// posts FILE (the Markdown plan) as a note, or, when this token's user already posted a note
// starting with the same marker (<!-- ldhooks-plan -->, the first line of every ldhooks Markdown
// plan), updates that note instead, so that each push replaces the plan instead of adding one.
//
// It reads GitLab's predefined variables CI_API_V4_URL, CI_PROJECT_ID and CI_MERGE_REQUEST_IID,
// and GITLAB_API_TOKEN, a project access token (role Reporter, scope api): the job token cannot
// write notes. Without that token, or when GitLab refuses, it says so and exits 0: the plan is
// still in the job log and the artifacts, and the job's result stays the plan's.
import { readFile } from 'node:fs/promises';

const MARKER = '<!-- ldhooks-plan -->';
const file = process.argv[2];
const {
  CI_API_V4_URL: api,
  CI_PROJECT_ID: project,
  CI_MERGE_REQUEST_IID: mergeRequest,
  GITLAB_API_TOKEN: token,
} = process.env;

async function gitlab(method, route, body) {
  const response = await fetch(`${api}${route}`, {
    method,
    headers: { 'PRIVATE-TOKEN': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}`);
  return response.json();
}

async function main() {
  if (!file) throw new Error('usage: node ldhooks-mr-note.mjs FILE');
  if (!token) return 'GITLAB_API_TOKEN is not set, so the plan is not posted as a note';
  if (!api || !project || !mergeRequest)
    return 'not a merge request pipeline (CI_MERGE_REQUEST_IID is not set): no note';
  const body = await readFile(file, 'utf8');
  if (!body.startsWith(MARKER)) throw new Error(`${file} does not start with ${MARKER}`);
  const notes = `/projects/${encodeURIComponent(project)}/merge_requests/${mergeRequest}/notes`;
  const me = await gitlab('GET', '/user');
  let previous;
  for (let page = 1; !previous; page++) {
    const batch = await gitlab('GET', `${notes}?sort=asc&per_page=100&page=${page}`);
    previous = batch.find((n) => n.author?.id === me.id && !n.system && n.body.startsWith(MARKER));
    if (batch.length < 100) break;
  }
  if (previous) {
    await gitlab('PUT', `${notes}/${previous.id}`, { body });
    return `updated the ldhooks note ${previous.id} on merge request !${mergeRequest}`;
  }
  const created = await gitlab('POST', notes, { body });
  return `posted the ldhooks note ${created.id} on merge request !${mergeRequest}`;
}

main().then(
  (said) => console.log(said),
  (e) => console.log(`The plan was not posted as a note: ${e.message}`),
);
