/// The templates and vocabulary `SyntheticReviews` writes movie reviews from.
///
/// Templates are shared by both classes: a slot such as `{adj}` takes a word of the review's own
/// sentiment and `{!adj}` one of the opposite sentiment, so "It is not {!neg} at all." reads "It is
/// not boring at all." in a positive review and "It is not funny at all." in a negative one. A model
/// therefore has to read negations and concessions ("Despite how dull the dialogue was, …"), not
/// just spot a word that only one class uses.
enum SyntheticReviewLexicon {
    /// A sentiment-bearing sentence; every review has at least one.
    static let coreTemplates = [
        "{subject} is {intens} {adj}!",
        "{subject} was {adj} and {adj}.",
        "I {verb} every minute of it.",
        "I {verb} {aspect}.",
        "{aspect} {was} {intens} {adj}.",
        "{aspect} {averb}.",
        "What {noun}!",
        "{subject} is {noun}.",
        "Honestly, {subject} is {intens} {adj} from start to finish.",
        "I was {intens} {feeling} by {aspect}.",
        "I left the theater feeling {intens} {feeling}.",
        "{aspect} {was} {adj}, and {aspect} {was} even more {adj}.",
        "Despite how {!adj} {aspect} {was}, {subject} is {intens} {adj}.",
        "Although {aspect} {was} {!neg}, {aspect} {was} {adj}.",
        "{aspect} {was} {!neg} at times, but overall {subject} is {adj}.",
        "It is not {!neg} at all.",
        "{aspect} {was} not {!neg} in the slightest.",
        "I would not call it {!neg}; it is {intens} {adj}.",
        "{subject} never feels {!neg}.",
        "I never once felt {!feeling}.",
        "There is nothing {!neg} about {aspect}.",
        "As a fan of the genre, I found {subject} {intens} {adj}.",
        "{aspect} made me {reaction}.",
        "By the end, I was {intens} {feeling}.",
        "Even {aspect} {was} {adj}.",
        "{aspect} and {aspect} are both {adj}.",
        "This is easily one of the {superlative} movies I have seen this year.",
        "{subject} deserves {deserve}.",
        "Watching {subject} was {noun}.",
        "I {verb} {aspect}, and {aspect} {was} {adj} too.",
        "It is {noun}, plain and simple.",
        "{subject} is {worth}.",
        "In short, {subject} is {noun}.",
        "{subject} is {intens} {adj}, and {aspect} {averb}.",
        "Who knew a {genre} could be this {adj}?",
        "{adj} movie, {noun}.",
        "{adj} performances by the whole cast!",
        "I expected {!noun}, but it turned out to be {noun}.",
        "The trailer made it look {!neg}, but {subject} is {intens} {adj}.",
        "{aspect} {was} {adj}, even if {aspect} {was} a little {!neg}.",
    ]

    /// A sentence that could open either kind of review.
    static let openerTemplates = [
        "I watched {subject} {when}.",
        "It is a {genre} about {plot}.",
        "The story follows {plot}.",
        "I went in knowing nothing about it.",
        "I saw {subject} {when} with a friend.",
        "{subject} is a {genre} about {plot}.",
    ]

    /// A verdict that closes a review.
    static let closerTemplates = [
        "{recommend}",
        "{rating} out of 10.",
        "I give it {rating}/10.",
    ]

    /// Slots whose words follow the review's sentiment: `(positive, negative)`.
    static let polarSlots: [String: (positive: [String], negative: [String])] = [
        "adj": (
            [
                "amazing", "brilliant", "wonderful", "superb", "outstanding", "excellent", "fantastic", "captivating",
                "gripping", "moving", "delightful", "charming", "stunning", "breathtaking", "compelling", "masterful",
                "riveting", "heartfelt", "hilarious", "clever", "beautiful", "memorable", "powerful", "inspiring",
                "refreshing", "engaging", "thrilling", "touching", "impressive", "magnificent", "enchanting", "witty",
                "mesmerizing", "uplifting", "good", "great", "sharp", "gorgeous", "funny", "smart",
            ],
            [
                "terrible", "boring", "awful", "dreadful", "dull", "tedious", "disappointing", "horrible",
                "lifeless", "clumsy", "predictable", "bland", "forgettable", "pointless", "tiresome", "painful",
                "incoherent", "messy", "sloppy", "mediocre", "lazy", "uninspired", "ridiculous", "annoying",
                "shallow", "weak", "poor", "stale", "flat", "laughable", "unbearable", "confusing",
                "amateurish", "cheap", "plodding", "hollow", "bad", "silly", "clunky", "slow",
            ]
        ),
        "neg": (
            [
                "good", "funny", "interesting", "exciting", "original", "clever", "scary", "engaging",
                "convincing", "entertaining", "believable", "moving", "memorable", "special", "great",
            ],
            [
                "bad", "boring", "dull", "slow", "predictable", "confusing", "disappointing", "tedious",
                "forgettable", "annoying", "silly", "awful", "terrible", "cheesy", "weak",
            ]
        ),
        "noun": (
            [
                "a masterpiece", "a gem", "a triumph", "a delight", "a treat", "a joy to watch", "an instant classic",
                "a real crowd-pleaser", "a tour de force", "a breath of fresh air", "a marvel", "a revelation",
                "a must-see", "a pleasure", "a knockout", "a small miracle",
            ],
            [
                "a disaster", "a mess", "a letdown", "a waste of time", "a disappointment", "a bore",
                "a chore to sit through", "a train wreck", "a misfire", "a flop", "an embarrassment", "a slog",
                "a failure", "a dud", "a waste of talent", "a real headache",
            ]
        ),
        "verb": (
            [
                "loved", "adored", "really enjoyed", "thoroughly enjoyed", "admired", "was blown away by",
                "was moved by", "was charmed by", "fell in love with", "was gripped by", "savored", "relished",
            ],
            [
                "hated", "disliked", "loathed", "regretted watching", "could not stand", "was bored by",
                "was annoyed by", "struggled through", "was let down by", "grew tired of", "resented", "sat through",
            ]
        ),
        "averb": (
            [
                "shines|shine", "soars|soar", "works beautifully|work beautifully", "lands perfectly|land perfectly",
                "never misses|never miss", "sparkles|sparkle", "stands out|stand out", "draws you in|draw you in",
                "keeps you hooked|keep you hooked", "carries the film|carry the film", "deserves praise|deserve praise",
                "feels fresh|feel fresh",
            ],
            [
                "falls flat|fall flat", "drags|drag", "misses the mark|miss the mark", "goes nowhere|go nowhere",
                "never works|never work", "feels forced|feel forced", "falls apart|fall apart", "wears thin|wear thin",
                "sinks the film|sink the film", "grates|grate", "feels lazy|feel lazy", "makes no sense|make no sense",
            ]
        ),
        "feeling": (
            [
                "thrilled", "delighted", "impressed", "moved", "entertained", "captivated", "amazed", "satisfied",
                "charmed", "inspired",
            ],
            [
                "bored", "disappointed", "frustrated", "annoyed", "let down", "unimpressed", "irritated",
                "exhausted", "cheated", "confused",
            ]
        ),
        "reaction": (
            [
                "laugh out loud", "smile the whole time", "tear up", "sit on the edge of my seat",
                "want to watch it again", "cheer", "forget about the time",
            ],
            [
                "roll my eyes", "check my watch", "yawn", "cringe", "want to leave", "groan",
                "reach for my phone",
            ]
        ),
        "superlative": (
            ["best", "finest", "most enjoyable", "most moving", "most entertaining", "most original"],
            ["worst", "dullest", "most tedious", "most boring", "most disappointing", "most forgettable"]
        ),
        "deserve": (
            ["every award it gets", "a much bigger audience", "all the praise it gets", "a place among the classics"],
            ["to be forgotten", "every bad review it gets", "its empty theaters", "a place among the flops"]
        ),
        "worth": (
            [
                "worth watching", "worth every penny", "worth the ticket price", "worth a second viewing",
                "well worth your time",
            ],
            [
                "not worth watching", "not worth the ticket price", "not worth your time", "not worth it",
                "not worth a second look",
            ]
        ),
        "recommend": (
            [
                "Highly recommended.", "Go see it.", "Do not miss it.", "I will be watching it again soon.",
                "I recommend it to everyone.", "Bring your friends.",
            ],
            [
                "Avoid it.", "Skip this one.", "Save your money.", "Do not bother.",
                "I cannot recommend it to anyone.", "Stay home.",
            ]
        ),
        "rating": (["8", "9", "10"], ["1", "2", "3"]),
    ]

    /// Slots whose words carry no sentiment.
    static let neutralSlots: [String: [String]] = [
        "subject": [
            "this movie", "the film", "this film", "the movie", "this picture", "this {genre}", "the sequel",
            "the remake", "this adaptation", "the new {genre}", "this {genre}", "the director's latest film",
        ],
        "genre": [
            "thriller", "comedy", "drama", "horror movie", "romantic comedy", "western", "science fiction film",
            "animated feature", "musical", "crime drama", "war film", "mystery", "documentary", "action movie",
            "fantasy epic", "period piece", "biopic", "coming-of-age story", "film noir", "superhero movie",
            "family film", "spy thriller",
        ],
        "intens": [
            "absolutely", "truly", "really", "incredibly", "remarkably", "utterly", "genuinely", "thoroughly",
            "simply", "quite", "so", "extremely", "completely", "totally", "just", "pretty", "honestly",
        ],
        "when": [
            "last night", "over the weekend", "on a long flight", "at a film festival",
            "on opening night", "on a rainy Sunday", "at a late screening", "on streaming",
        ],
        "plot": [
            "a family on the run", "two rival chefs", "a detective in a small town", "a robot that learns to paint",
            "a band on its last tour", "a heist gone wrong", "a teacher and her students", "a haunted lighthouse",
            "an astronaut stranded on Mars", "childhood friends reuniting", "a lawyer with a secret",
            "a soldier coming home", "a chess prodigy", "a road trip across the desert",
        ],
    ]

    /// Aspects of a film a sentence can praise or fault; plural ones take "were" and plural verbs.
    static let singularAspects = [
        "the acting", "the plot", "the soundtrack", "the cinematography", "the direction", "the dialogue",
        "the script", "the pacing", "the ending", "the lead performance", "the supporting cast", "the screenplay",
        "the editing", "the score", "the set design", "the camera work", "the storyline", "the premise",
        "the humor", "the twist", "the finale", "the opening scene", "the chemistry between the leads",
        "the villain", "the music", "the lighting",
    ]
    static let pluralAspects = [
        "the visual effects", "the costumes", "the action scenes", "the characters", "the performances",
        "the special effects", "the songs", "the jokes",
    ]
}
