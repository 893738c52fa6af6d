// The demo feed page: plain JavaScript, talking only to the GraphQL API at /graphql.
// It acts as one viewer through a dev-mode demo login ("Bearer demo:<userId>"), which
// the API refuses in production mode.
"use strict";

const PAGE_SIZE = 5;

const FEED = `
query Feed($first: Int!, $after: String, $mode: FeedMode) {
  feed(first: $first, after: $after, mode: $mode) {
    requestId
    mode
    pageInfo { hasNextPage endCursor }
    edges {
      position score sources exploration
      explanation { reasons }
      node {
        id caption durationMs
        stats { views likes }
        creator { id name }
        hashtags { name }
        sound { id title }
      }
    }
  }
}`;

// Viewers to offer when the page is opened without ?user=. Creators are users too (a
// User:Creator node), and the catalogue answers every viewer alike, so the busiest
// creators of the last month make good first viewers.
const VIEWERS = `
query Viewers($first: Int!) {
  trending(kind: CREATOR, window: MONTH, first: $first) {
    entries { node { ... on Creator { id name followerCount videoCount } } }
  }
}`;
const VIEWER_CHOICES = 6;

// Hashtags to offer a new viewer as first interests: those trending this month.
const HASHTAGS = `
query Hashtags($first: Int!) {
  trending(kind: HASHTAG, window: MONTH, first: $first) {
    entries { node { ... on Hashtag { name videoCount } } }
  }
}`;
const HASHTAG_CHOICES = 12;
const SIGN_UP = `
mutation SignUp($name: String!, $interests: [String!]) {
  signUp(name: $name, interests: $interests) {
    status user { id name } settings { interests }
  }
}`;
// The demo login the chooser asks as: it must name some user, and trending does not
// depend on which.
const GUEST = "guest";

const VIDEO_EVENT = (name, extra = "", extraArgs = "") => `
mutation($eventId: ID!, $videoId: ID!${extraArgs}) {
  ${name}(eventId: $eventId, videoId: $videoId${extra}) { status video { id stats { likes } } }
}`;

const MUTATIONS = {
  like: VIDEO_EVENT("like"),
  share: VIDEO_EVENT("share"),
  skip: VIDEO_EVENT("skip"),
  view: VIDEO_EVENT("recordView", ", watchMs: $watchMs", ", $watchMs: Int!"),
  follow: `mutation($eventId: ID!, $creatorId: ID!, $videoId: ID) {
    follow(eventId: $eventId, creatorId: $creatorId, videoId: $videoId) {
      status creator { id followerCount } } }`,
  notInterested: `mutation($eventId: ID!, $creatorId: ID!) {
    notInterested(eventId: $eventId, target: {creatorId: $creatorId}) { status } }`,
};

// Swiped away sooner than this counts as a skip too (docs/model.md: SKIPPED).
const SKIP_BELOW_MS = 2000;

const state = { user: null, mode: "FOR_YOU", after: null, page: 0, hidden: new Set() };

const $ = (selector, root = document) => root.querySelector(selector);

function setStatus(text, kind = "ready") {
  const status = $("#status");
  status.textContent = text;
  status.dataset.state = kind;
}

let toastTimer = null;
function toast(text) {
  const box = $("#toast");
  box.textContent = text;
  box.classList.add("shown");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.classList.remove("shown"), 1800);
}

function eventId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

class ApiError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

async function gql(query, variables = {}, user = state.user) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer demo:${user}`,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    // fetch rejects only when no answer came at all (server down, network gone).
    throw new ApiError("NETWORK", `could not reach the API at /graphql (${error.message}); is the server running?`);
  }
  let body;
  try {
    body = await response.json();
  } catch (error) {
    // A proxy's error page, or a server that is not this API.
    throw new ApiError(`HTTP ${response.status}`, "the API did not answer with JSON");
  }
  if (body.errors && body.errors.length) {
    const error = body.errors[0];
    throw new ApiError((error.extensions || {}).code || "ERROR", error.message);
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status}`, "the API answered without data");
  return body.data;
}

function hue(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

function renderCard(edge) {
  const video = edge.node;
  const creator = video.creator || { id: "?", name: null };
  const card = $("#card-template").content.firstElementChild.cloneNode(true);
  card.dataset.video = video.id;
  card.dataset.creator = creator.id;
  card.dataset.page = String(state.page);
  card.style.setProperty("--hue", hue(creator.id));
  $(".caption", card).textContent = video.caption || "(no caption)";
  $(".hashtags", card).textContent = video.hashtags.map((h) => `#${h.name}`).join(" ");
  $(".sound", card).textContent = video.sound ? `♪ ${video.sound.title || video.sound.id}` : "";
  $(".creator", card).textContent = `@${creator.name || creator.id}`;
  $(".stats", card).textContent =
    `${video.stats.views} views · ${video.stats.likes} likes · score ${edge.score.toFixed(3)}` +
    (edge.exploration ? " · exploring" : "");
  const reasons = $(".reasons", card);
  for (const reason of edge.explanation.reasons) {
    const item = document.createElement("li");
    item.textContent = reason;
    reasons.appendChild(item);
  }
  $(".sources", card).textContent = `sources: ${edge.sources.join(", ")}`;

  // A simulated watch time, as a share of the video's length (loops go past 100%).
  const slider = $(".watch input", card);
  const output = $(".watch output", card);
  slider.value = String(20 + 5 * Math.floor(Math.random() * 17));
  const showWatch = () => {
    const ms = Math.round((video.durationMs * Number(slider.value)) / 100);
    output.textContent = `${(ms / 1000).toFixed(1)} s of ${(video.durationMs / 1000).toFixed(1)} s`;
  };
  slider.addEventListener("input", showWatch);
  showWatch();

  card.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) act(button.dataset.action, card, video, button).catch(report);
  });
  return card;
}

function report(error) {
  setStatus(error.message, "error");
  toast(error.message);
  // The status line is small and the toast fades: a failure that leaves the page empty
  // must stay in view.
  showProblem(error.message);
}

function clearProblem() {
  $("#problem").hidden = true;
}

function watchedMs(card, video) {
  return Math.round((video.durationMs * Number($(".watch input", card).value)) / 100);
}

async function act(action, card, video, button) {
  const creatorId = card.dataset.creator;
  switch (action) {
    case "like":
    case "share": {
      const data = await gql(MUTATIONS[action], { eventId: eventId(), videoId: video.id });
      button.setAttribute("aria-pressed", "true");
      toast(action === "like" ? `liked (${data.like.video.stats.likes} likes)` : "shared");
      break;
    }
    case "follow": {
      const data = await gql(MUTATIONS.follow, { eventId: eventId(), creatorId, videoId: video.id });
      button.setAttribute("aria-pressed", "true");
      toast(`following @${creatorId} (${data.follow.creator.followerCount} followers)`);
      break;
    }
    case "not-interested": {
      await gql(MUTATIONS.notInterested, { eventId: eventId(), creatorId });
      state.hidden.add(creatorId);
      for (const other of document.querySelectorAll(`.card[data-creator="${CSS.escape(creatorId)}"]`)) {
        other.classList.add("gone");
      }
      button.setAttribute("aria-pressed", "true");
      toast(`you will not see @${creatorId} again`);
      break;
    }
    case "next": {
      const watched = watchedMs(card, video);
      await gql(MUTATIONS.view, { eventId: eventId(), videoId: video.id, watchMs: watched });
      if (watched < SKIP_BELOW_MS) {
        await gql(MUTATIONS.skip, { eventId: eventId(), videoId: video.id });
      }
      await advance(card);
      break;
    }
  }
}

async function advance(card) {
  card.classList.remove("current");
  let next = card.nextElementSibling;
  while (next && next.classList.contains("gone")) next = next.nextElementSibling;
  if (!next) {
    await loadPage();
    next = card.nextElementSibling;
  }
  if (next) {
    next.classList.add("current");
    next.scrollIntoView({ behavior: "smooth", block: "start" });
  }
}

async function loadPage() {
  setStatus("loading…", "loading");
  state.page += 1;
  const data = await gql(FEED, { first: PAGE_SIZE, after: state.after, mode: state.mode });
  const feed = data.feed;
  const main = $("#feed");
  for (const edge of feed.edges) main.appendChild(renderCard(edge));
  clearProblem();
  state.after = feed.pageInfo.endCursor;
  $("#more").hidden = !feed.pageInfo.hasNextPage;
  const mode = feed.mode.toLowerCase().replace("_", " ");
  setStatus(
    `@${state.user} · ${mode} · page ${state.page} · ${feed.edges.length} videos · request ${feed.requestId.slice(0, 8)}`,
    "ready",
  );
  if (!feed.edges.length) toast("nothing more to show right now");
}

async function start(user, mode) {
  $("#chooser").hidden = true;
  state.user = user;
  state.mode = mode;
  state.after = null;
  state.page = 0;
  $("#feed").replaceChildren();
  const url = new URL(window.location.href);
  url.searchParams.set("user", user);
  url.searchParams.set("mode", mode);
  window.history.replaceState(null, "", url);
  await loadPage();
  const first = $(".card");
  if (first) first.classList.add("current");
}

$("#login").addEventListener("submit", (event) => {
  event.preventDefault();
  const user = $("#user").value.trim();
  if (!user) return setStatus("Enter a user id first.", "error");
  start(user, $("#mode").value).catch(report);
});

$("#more").addEventListener("click", () => loadPage().catch(report));

function viewerLink(creator) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = `/?user=${encodeURIComponent(creator.id)}`;
  link.dataset.testid = "viewer";
  link.textContent = creator.name ? `@${creator.name}` : creator.id;
  item.append(
    link,
    ` (${creator.id} · ${creator.followerCount} followers · ${creator.videoCount} videos)`,
  );
  return item;
}

async function showChooser() {
  $("#chooser").hidden = false;
  const status = $("#viewers-status");
  try {
    const data = await gql(VIEWERS, { first: VIEWER_CHOICES }, GUEST);
    const creators = data.trending.entries.map((entry) => entry.node).filter((node) => node && node.id);
    $("#viewers").replaceChildren(...creators.map(viewerLink));
    if (creators.length) {
      status.textContent = "The creators trending this month (every creator is a viewer too):";
      status.dataset.state = "ready";
    } else {
      status.textContent = "Nobody has watched anything in this world yet: type a user id above.";
      status.dataset.state = "empty";
    }
  } catch (error) {
    status.textContent = `Could not list viewers to try (${error.message}). Type a user id above instead.`;
    status.dataset.state = "error";
    showProblem(error.message);
  }
}

function interestBox(hashtag) {
  const label = document.createElement("label");
  label.className = "interest";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = "interest";
  box.value = hashtag.name;
  box.dataset.testid = "interest";
  label.append(box, ` #${hashtag.name}`);
  return label;
}

async function offerInterests() {
  const status = $("#interests-status");
  try {
    const data = await gql(HASHTAGS, { first: HASHTAG_CHOICES }, GUEST);
    const hashtags = data.trending.entries.map((entry) => entry.node).filter((node) => node && node.name);
    status.replaceChildren(...hashtags.map(interestBox));
    status.dataset.state = hashtags.length ? "ready" : "empty";
    if (!hashtags.length) status.textContent = "Nothing is trending yet: type a few hashtags below.";
  } catch (error) {
    status.textContent = `Could not list hashtags (${error.message}); type a few below.`;
    status.dataset.state = "error";
  }
}

function pickedInterests() {
  const checked = [...document.querySelectorAll("#interests input[name=interest]:checked")].map((box) => box.value);
  const typed = $("#signup-more").value.split(/[,\s]+/).map((tag) => tag.replace(/^#/, "")).filter(Boolean);
  return [...new Set([...checked, ...typed])];
}

// A demo login names its user; a new viewer gets an id nobody has (a viewer key may
// sign up only the person it is bound to).
function newViewerId() {
  const random = window.crypto && crypto.getRandomValues
    ? [...crypto.getRandomValues(new Uint8Array(5))].map((b) => b.toString(16).padStart(2, "0")).join("")
    : Math.random().toString(16).slice(2, 12);
  return `new-${random}`;
}

async function signUp() {
  const name = $("#signup-name").value.trim() || "New viewer";
  const interests = pickedInterests();
  if (!interests.length) {
    setStatus("Pick at least one hashtag (or type one) first.", "error");
    return;
  }
  const user = newViewerId();
  setStatus("signing up…", "loading");
  const data = await gql(SIGN_UP, { name, interests }, user);
  toast(`welcome, ${data.signUp.user.name}: a first feed from #${data.signUp.settings.interests.join(", #")}`);
  $("#user").value = user;
  await start(user, "FOR_YOU");
}

$("#signup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  signUp().catch(report);
});

const params = new URLSearchParams(window.location.search);
if (params.get("mode")) $("#mode").value = params.get("mode");
if (params.get("user")) {
  $("#user").value = params.get("user");
  start(params.get("user"), $("#mode").value).catch(report);
} else {
  showChooser();
  offerInterests();
}
