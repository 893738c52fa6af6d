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

async function gql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer demo:${state.user}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const error = body.errors[0];
    throw new ApiError((error.extensions || {}).code || "ERROR", error.message);
  }
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

const params = new URLSearchParams(window.location.search);
if (params.get("mode")) $("#mode").value = params.get("mode");
if (params.get("user")) {
  $("#user").value = params.get("user");
  start(params.get("user"), $("#mode").value).catch(report);
}
