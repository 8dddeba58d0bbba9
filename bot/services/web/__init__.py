"""Pages and feeds from the web: which links the bot may open (`addresses`), fetching with
limits and every address checked (`fetch`), a page's main text and metadata (`pages`, with
trafilatura), RSS and Atom (`feeds`, with feedparser)."""
