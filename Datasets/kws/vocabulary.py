"""Class list and word lists of the 12-class Speech-Commands-style KWS task.

The output order of every KWS model trained here is LABELS; the runtime reads it
from the model (AudioFrontEnd.labels, silence_label, unknown_label).
"""

KEYWORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
SILENCE = "_silence_"
UNKNOWN = "_unknown_"
LABELS = KEYWORDS + ["silence", "unknown"]
SILENCE_INDEX = LABELS.index("silence")
UNKNOWN_INDEX = LABELS.index("unknown")

# Words of the unknown class. The first 25 are Speech Commands v2's other words; the rest
# add variety and some near neighbours of the keywords (top/stop, lift/left, town/down...)
# so that a model learns the keywords rather than their vowels. Homophones of keywords
# (know, write, ...) are left out: they cannot be told apart by sound.
UNKNOWN_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow",
    "backward", "forward", "follow", "learn", "visual",
    "yet", "yell", "less", "mess", "nose", "now", "new", "snow", "cup", "pop",
    "town", "brown", "done", "lift", "loft", "light", "bright", "ride", "rice",
    "in", "an", "cough", "often", "shop", "top", "step", "spot", "goat", "show",
    "low", "grow", "apple", "water", "music", "window", "table", "paper", "orange",
    "garden", "yellow", "purple", "morning", "evening", "hello", "thanks", "please",
    "camera", "banana", "river", "mountain", "computer", "number", "letter", "open",
    "close", "start", "finish", "maybe", "never", "always", "today", "coffee",
    "kitchen", "window", "bottle", "pencil", "rabbit", "tiger", "monkey", "silver",
    "golden", "party", "story", "simple", "rocket", "planet", "summer", "winter",
    "doctor", "button", "little", "very", "many", "seventy", "lemon", "zebra",
]
# Near neighbours of the keywords (a share of every speaker's unknown words is drawn from
# these, so that the model learns to reject them: false alarms come from such words).
NEAR_MISSES = [
    "yet", "yell", "less", "mess", "yeah", "guess", "nose", "now", "new", "snow", "note",
    "cup", "pop", "hop", "cut", "town", "brown", "done", "dawn", "lift", "loft", "lot",
    "light", "bright", "ride", "rice", "rate", "in", "an", "own", "cough", "often", "offer",
    "shop", "top", "step", "spot", "stock", "goat", "gold", "show", "low", "grow",
]
UNKNOWN_WORDS = UNKNOWN_WORDS + NEAR_MISSES
# keep order, drop duplicates
UNKNOWN_WORDS = list(dict.fromkeys(UNKNOWN_WORDS))
NEAR_MISSES = list(dict.fromkeys(NEAR_MISSES))
OTHER_WORDS = [w for w in UNKNOWN_WORDS if w not in NEAR_MISSES]

assert not set(UNKNOWN_WORDS) & set(KEYWORDS)
assert set(NEAR_MISSES) <= set(UNKNOWN_WORDS)
