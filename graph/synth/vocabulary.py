"""Words the synthetic world is written in: topics, their hashtags, captions, names.

Every hashtag belongs to exactly one topic (or is one of the generic tags that all
topics use), so the ground truth can say which topic a hashtag stands for. A
unit test keeps the words unique across topics.
"""

from __future__ import annotations

#: Topic name -> its words. The first words are the most used (popularity within a
#: topic follows the order). Each word doubles as a hashtag of that topic.
_WORDS: dict[str, str] = {
    "dance": "dance choreo dancechallenge hiphop ballet kpopdance salsa breakdance tutorial",
    "comedy": "comedy funny prank skit standup meme relatable parody bloopers sarcasm",
    "cooking": "cooking recipe dinner baking pasta mealprep vegan dessert airfryer streetfood",
    "fitness": "fitness workout gym yoga running homeworkout abs stretching calisthenics protein",
    "gaming": "gaming minecraft fortnite speedrun esports retrogaming streamer gameplay rpg",
    "beauty": "beauty makeup skincare nails grwm haircare lipstick contour glowup perfume",
    "pets": "pets dog cat puppy kitten dogtraining rescue hamster parrot catsoftiktok",
    "travel": "travel wanderlust roadtrip beach backpacking hiking vanlife cityguide hostel",
    "music": "music guitar piano cover singing producer drums rap acoustic vinyl",
    "diy": "diy crafts woodworking upcycle homedecor sewing knitting renovation lifehack",
    "sports": "sports football basketball soccer tennis skateboarding surfing climbing boxing golf",
    "tech": "tech coding gadgets ai smartphone setup python pcbuild unboxing techtips",
    "fashion": "fashion outfit ootd streetwear thrift sneakers vintage styling haul",
    "science": "science physics chemistry space biology experiment astronomy math engineering",
    "cars": "cars supercar carmods drift classiccars ev detailing motorsport jdm roadster",
    "books": "books booktok reading fantasy romancebooks bookreview thriller poetry library tbr",
    "gardening": "gardening plants houseplants succulents veggiegarden compost bonsai flowers",
    "finance": "finance investing budgeting stocks crypto savingmoney sidehustle realestate frugal",
    "art": "art drawing painting digitalart sketch watercolor animation sculpture calligraphy",
    "parenting": "parenting momlife dadlife toddler baby newborn family homeschool momhacks twins",
}
TOPICS: dict[str, tuple[str, ...]] = {name: tuple(text.split()) for name, text in _WORDS.items()}

#: Tags used by every topic: they say nothing about interests, like on the real apps.
GENERIC_HASHTAGS: tuple[str, ...] = ("fyp", "foryou", "viral", "foryoupage", "trending")

#: ``{a}`` and ``{b}`` are words of the video's topic.
CAPTION_TEMPLATES: tuple[str, ...] = (
    "POV: your first {a} {b}",
    "{a} {b} you need to try",
    "day 12 of {a}",
    "trying {a} for the first time",
    "{a} vs {b}, which one?",
    "my {a} routine",
    "rating every {a} {b}",
    "how I got into {a}",
    "nobody talks about this {a} trick",
    "{a} but it goes wrong",
    "wait for the {b} at the end",
    "quick {a} tips",
)

#: Second word of a sound title (the first is a topic word).
SOUND_NOUNS: tuple[str, ...] = (
    "beat",
    "anthem",
    "remix",
    "loop",
    "groove",
    "theme",
    "vibes",
    "mix",
)

NAME_ADJECTIVES: tuple[str, ...] = (
    "sunny", "quiet", "wild", "lazy", "brave", "cosmic", "salty", "fuzzy", "lucky", "misty",
    "rapid", "gentle", "bold", "tiny", "golden", "silver", "midnight", "urban", "happy", "retro",
)  # fmt: skip
NAME_NOUNS: tuple[str, ...] = (
    "panda", "otter", "falcon", "maple", "comet", "pixel", "tiger", "cactus", "river", "ember",
    "koala", "nova", "willow", "raven", "mango", "fox", "harbor", "lynx", "pebble", "sparrow",
)  # fmt: skip
