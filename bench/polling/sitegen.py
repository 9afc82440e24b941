"""Generated news sites for the polling benchmark: RSS 2.0 feeds and article pages, written as static files.

Every host address is one "publisher" with its own name, sections, staff and page furniture. Article prose is
generated from word lists and sentence shapes with a seeded random generator, so every page is different (no two
share a content hash, and 5-word shingles rarely repeat) and no third-party text is copied.
"""
import datetime
import email.utils
import multiprocessing
import os
import random
import signal
from xml.sax.saxutils import escape

PLACES = ["Riverton", "Ashford", "Millbrook", "Kestrel Bay", "Northgate", "Harrow Vale", "Lindenfield", "Stonecross",
          "Port Elling", "Marlow Heath", "Eastmere", "Fenwick", "Greywater", "Oakhurst", "Saltmarsh", "Westbury",
          "Brackley", "Dunmore", "Halden", "Corran", "Thornby", "Wexcombe", "Ravensworth", "Bellhaven", "Calder",
          "Elmstead", "Foxley", "Glenrock", "Hollin", "Ivybridge", "Juniper Hill", "Kingsmere", "Larkfield"]
SITE_WORDS = ["Courier", "Gazette", "Chronicle", "Herald", "Observer", "Ledger", "Tribune", "Post", "Examiner",
              "Sentinel", "Dispatch", "Record", "Bulletin", "Mercury", "Journal", "Standard", "Express", "Review"]
SECTIONS = ["world", "politics", "business", "science", "health", "sport", "culture", "technology", "climate",
            "education", "local", "opinion"]
FIRST = ["Amara", "Bilal", "Clara", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam",
         "Mira", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir", "Tomas", "Uma", "Viktor", "Wen", "Yara",
         "Zoltan", "Aisha", "Bruno", "Chiara", "Diego", "Esther", "Felix", "Greta", "Hamid", "Ingrid", "Jamal"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Haddad", "Kowalski", "Tanaka", "Ferreira", "Novak", "Mensah", "Rossi",
        "Varga", "Iyer", "Schultz", "Delgado", "Nakamura", "Petrov", "Adeyemi", "Brennan", "Castillo", "Dahl",
        "Eriksen", "Fontaine", "Gallagher", "Horvat", "Ibrahim", "Jansen", "Keller", "Lambert", "Marsh", "Nilsson"]
ACTORS = ["the city council", "regional health officials", "the transport authority", "a group of residents",
          "the finance ministry", "university researchers", "the harbour board", "local business owners",
          "the school district", "environmental inspectors", "the opposition party", "hospital administrators",
          "the water utility", "farmers in the valley", "the housing agency", "a coalition of unions",
          "the national statistics office", "emergency services", "the planning committee", "museum trustees",
          "the central bank", "court officials", "the fisheries council", "volunteer firefighters"]
VERBS = ["announced", "approved", "postponed", "questioned", "defended", "outlined", "rejected", "reviewed",
         "criticised", "welcomed", "proposed", "published", "revised", "suspended", "expanded", "challenged",
         "confirmed", "delayed", "funded", "investigated", "presented", "scaled back", "signed", "tested"]
OBJECTS = ["a plan to rebuild the northern bridge", "new limits on night-time deliveries",
           "the budget for next year's road repairs", "a study of air quality near the ring road",
           "changes to the bus timetable", "a proposal to merge two primary schools",
           "plans for a solar farm on the old airfield", "the contract for waste collection",
           "a review of flood defences along the river", "rules for short-term rentals",
           "a scheme to insulate older homes", "the closure of the eastern clinic", "a pilot for free ferry travel",
           "higher fees for city-centre parking", "a new cycle lane on the high street",
           "the sale of the former gasworks site", "an inquiry into delayed ambulance calls",
           "extra funding for youth clubs", "a ban on single-use cups at events", "the timetable for the new tram",
           "a survey of rare birds on the marshes", "a report on rising rents", "the harbour dredging works",
           "pay talks with care workers", "a tax break for small shops", "repairs to the library roof"]
TIMES = ["on Monday", "on Tuesday", "on Wednesday", "late on Thursday", "on Friday morning", "over the weekend",
         "earlier this month", "last week", "after a long meeting", "in a statement", "at a press briefing",
         "during a public hearing", "in a letter to members", "ahead of the vote"]
REASONS = ["costs had risen sharply since the spring", "the consultation drew thousands of responses",
           "an earlier survey had found serious faults", "residents had complained for years",
           "the national grant was smaller than expected", "several contractors had withdrawn",
           "the weather had delayed the first phase", "new safety rules came into force",
           "demand had grown faster than forecast", "the audit raised questions about spending",
           "the previous scheme had run out of money", "the population of the district keeps growing",
           "inspectors found the site contaminated", "the legal advice was still unclear"]
QUOTES = ["We have listened carefully and this is the fairest option", "Nobody wanted it to come to this",
          "The figures speak for themselves", "People deserve a clear answer by the summer",
          "It is a first step, not the end of the road", "We will keep pushing until the work is done",
          "This decision affects every family in the area", "There is no quick fix for a problem this old",
          "We expect the first results within a few months", "The details still have to be worked out",
          "I have never seen so many people at a meeting", "It is good news, but it comes very late"]
ADJ = ["modest", "sharp", "unexpected", "gradual", "significant", "slight", "steady", "dramatic", "welcome",
       "worrying", "temporary", "lasting"]
MEASURES = ["the number of applications", "waiting times", "average rents", "passenger numbers", "the deficit",
            "energy bills", "visitor numbers", "reported incidents", "the cost of materials", "school enrolment"]
HEADLINE = ["{Actor} {verb} {object}", "{Place} {verb2} {object}", "{Measure} show {adj} change in {place}",
            "Why {actor} {verb} {object}", "{Place}: {actor} {verb} {object}"]


def publisher(index, rng):
    place = PLACES[index % len(PLACES)]
    word = SITE_WORDS[(index // len(PLACES) + index) % len(SITE_WORDS)]
    name = f"The {place} {word}" if index < len(PLACES) * len(SITE_WORDS) else f"The {place} {word} {index}"
    staff = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(8)]
    return {"name": name, "place": place, "staff": staff}


def headline(rng, place):
    shape = rng.choice(HEADLINE)
    actor, verb, obj = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(OBJECTS)
    text = shape.format(Actor=actor[0].upper() + actor[1:], actor=actor, verb=verb, verb2=rng.choice(VERBS),
                        object=obj, Place=place, place=place, Measure=rng.choice(MEASURES).capitalize(),
                        adj=rng.choice(ADJ))
    return text[0].upper() + text[1:]


def sentence(rng, place):
    kind = rng.randrange(7)
    if kind == 0:
        return (f"{rng.choice(ACTORS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                f"{rng.choice(TIMES)}, saying {rng.choice(REASONS)}.")
    if kind == 1:
        n = rng.randrange(3, 97)
        return (f"{rng.choice(MEASURES).capitalize()} in {place} changed by {n} per cent in {rng.randrange(2, 19)} "
                f"months, a {rng.choice(ADJ)} shift that {rng.choice(ACTORS)} linked to {rng.choice(OBJECTS)}.")
    if kind == 2:
        return (f"\u201c{rng.choice(QUOTES)},\u201d said {rng.choice(FIRST)} {rng.choice(LAST)}, who speaks for "
                f"{rng.choice(ACTORS)}.")
    if kind == 3:
        return (f"Critics argue that {rng.choice(OBJECTS)} will do little unless {rng.choice(ACTORS)} also "
                f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}.")
    if kind == 4:
        return (f"The decision came after {rng.choice(REASONS)}, and {rng.choice(ACTORS)} is expected to respond "
                f"{rng.choice(TIMES)}.")
    if kind == 5:
        return (f"About {rng.randrange(20, 5000):,} people in {rng.choice(PLACES)} and {rng.choice(PLACES)} would "
                f"be affected, according to figures {rng.choice(VERBS)} by {rng.choice(ACTORS)}.")
    return (f"{rng.choice(FIRST)} {rng.choice(LAST)}, {rng.randrange(24, 81)}, has lived in {place} for "
            f"{rng.randrange(2, 50)} years and said {rng.choice(REASONS)}.")


def paragraphs(rng, place):
    return [" ".join(sentence(rng, place) for _ in range(rng.randrange(3, 6))) for _ in range(rng.randrange(5, 9))]


def rfc822(when):
    return email.utils.format_datetime(when, usegmt=True)


def iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class Site:
    """The files of N feeds over the given hosts, under `root` (nginx's document root)."""

    def __init__(self, root, hosts, port, feeds, entries=20, seed=8):
        self.root, self.hosts, self.port, self.count, self.seed = root, hosts, port, feeds, seed
        self.ENTRIES = entries
        self.base = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.timezone.utc)
        rng = random.Random(seed)
        self.publishers = [publisher(i, rng) for i in range(len(hosts))]
        self.newest = [self.ENTRIES - 1] * feeds  # highest entry number in each feed

    def host(self, feed):
        return self.hosts[feed % len(self.hosts)]

    def origin(self, feed):
        return f"http://{self.host(feed)}:{self.port}"

    def feed_path(self, feed):
        return f"feeds/f{feed:05d}.xml"

    def feed_url(self, feed):
        return f"{self.origin(feed)}/{self.feed_path(feed)}"

    def section(self, feed):
        return SECTIONS[(feed // len(self.hosts)) % len(SECTIONS)]

    def page_path(self, feed, n):
        return f"news/f{feed:05d}/{self.section(feed)}-story-{n:04d}.html"

    def page_url(self, feed, n):
        return f"{self.origin(feed)}/{self.page_path(feed, n)}"

    def entry(self, feed, n):
        rng = random.Random(f"{self.seed}:{feed}:{n}")
        pub = self.publishers[feed % len(self.hosts)]
        when = self.base - datetime.timedelta(minutes=(self.ENTRIES - n) * 47 + feed % 60)
        return {"n": n, "title": headline(rng, pub["place"]), "author": rng.choice(pub["staff"]), "when": when,
                "paras": paragraphs(rng, pub["place"]), "pub": pub}

    def page_html(self, feed, e):
        pub, title = e["pub"], escape(e["title"])
        nav = "".join(f'<li><a href="/section/{s}">{s.capitalize()}</a></li>' for s in SECTIONS[:8])
        body = "\n".join(f"<p>{escape(p)}</p>" for p in e["paras"])
        related = "".join(f'<li><a href="/news/more-{e["n"] + k}">More from {pub["place"]}: update {k}</a></li>'
                          for k in range(1, 5))
        url = self.page_url(feed, e["n"])
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {pub["name"]}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(e["paras"][0][:150], {'"': '&quot;'})}">
<meta property="og:title" content="{escape(e["title"], {'"': '&quot;'})}"><meta property="og:type" content="article">
<meta property="og:site_name" content="{pub["name"]}"><meta name="author" content="{e["author"]}">
<meta property="article:published_time" content="{iso(e["when"])}">
<link rel="canonical" href="{url}"><link rel="stylesheet" href="/static/site.css"></head>
<body><div class="cookie-banner">We use cookies to keep you signed in and to count visits. <a href="/privacy">Manage
settings</a></div>
<header class="site-header"><a class="logo" href="/">{pub["name"]}</a><nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form></header>
<main><article class="story"><h1>{title}</h1>
<p class="byline">By <a rel="author" href="/staff/{e["author"].lower().replace(" ", "-")}">{e["author"]}</a>
· <time datetime="{iso(e["when"])}">{e["when"].strftime("%d %B %Y, %H:%M")}</time></p>
{body}
<div class="share">Share this story: <a href="/share/mail">Email</a> <a href="/share/copy">Copy link</a></div>
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<aside class="newsletter"><h2>Morning briefing</h2><p>The day's news from {pub["place"]} in your inbox.</p>
<a href="/newsletter">Sign up</a></aside></main>
<footer class="site-footer"><p>&copy; 2026 {pub["name"]}. All rights reserved.</p><ul><li><a href="/about">About
us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms
</a></li></ul></footer></body></html>
"""

    def feed_xml(self, feed, entries):
        pub = self.publishers[feed % len(self.hosts)]
        items = []
        for e in entries:
            items.append(f"""<item><title>{escape(e["title"])}</title><link>{self.page_url(feed, e["n"])}</link>
<guid isPermaLink="false">{pub["place"].lower().replace(" ", "-")}-f{feed:05d}-{e["n"]}</guid>
<pubDate>{rfc822(e["when"])}</pubDate><dc:creator>{e["author"]}</dc:creator>
<description>{escape(e["paras"][0][:240])}</description></item>""")
        newest = entries[0]["when"] if entries else self.base
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{pub["name"]}: {self.section(feed).capitalize()}</title><link>{self.origin(feed)}/section/{self.section(feed)}</link>
<description>{self.section(feed).capitalize()} news from {pub["name"]}</description><language>en</language>
<lastBuildDate>{rfc822(newest)}</lastBuildDate>
{chr(10).join(items)}
</channel></rss>
"""

    def write_feed(self, feed):
        """Writes feed `feed` (its newest ENTRIES entries) and every page it links to that does not exist yet."""
        newest = self.newest[feed]
        entries = [self.entry(feed, n) for n in range(newest, newest - self.ENTRIES, -1)]
        for e in entries:
            path = os.path.join(self.root, self.page_path(feed, e["n"]))
            if not os.path.exists(path):
                atomic_write(path, self.page_html(feed, e))
        atomic_write(os.path.join(self.root, self.feed_path(feed)), self.feed_xml(feed, entries))
        return entries

    def generate(self, jobs=os.cpu_count() or 1):
        """Writes every feed and page, on `jobs` processes."""
        if jobs <= 1 or self.count < 100:
            self.generate_range(0, self.count)
            return
        step = (self.count + jobs * 4 - 1) // (jobs * 4)
        with multiprocessing.get_context("fork").Pool(jobs, signal.signal, (signal.SIGTERM, signal.SIG_DFL)) as pool:
            pool.starmap(self.generate_range, [(a, min(a + step, self.count)) for a in range(0, self.count, step)])

    def generate_range(self, start, end):
        for feed in range(start, end):
            self.write_feed(feed)

    def add_entry(self, feed):
        """Publishes one new entry at the top of the feed (the oldest drops out); returns its page URL."""
        self.newest[feed] += 1
        self.write_feed(feed)
        return self.page_url(feed, self.newest[feed])

    def pages(self):
        for feed in range(self.count):
            for n in range(self.newest[feed], self.newest[feed] - self.ENTRIES, -1):
                yield feed, n


def atomic_write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)
