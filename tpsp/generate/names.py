"""Word lists for the synthetic world: firms, teams, people, pull requests and issues."""

# (slug, e-mail domain stem, industry)
FIRMS: tuple[tuple[str, str, str], ...] = (
    ("northwind-pay", "northwindpay", "fintech"),
    ("bluepeak-health", "bluepeakhealth", "healthtech"),
    ("lumen-logistics", "lumenlogistics", "logistics"),
    ("orbital-retail", "orbitalretail", "retail"),
    ("cedar-analytics", "cedaranalytics", "saas"),
    ("kestrel-games", "kestrelgames", "gaming"),
    ("harbor-insure", "harborinsure", "insurance"),
    ("quanta-mobility", "quantamobility", "mobility"),
    ("fjord-energy", "fjordenergy", "energy"),
    ("saffron-media", "saffronmedia", "media"),
    ("ironleaf-security", "ironleafsecurity", "security"),
    ("tidewater-edu", "tidewateredu", "edtech"),
)

TIMEZONES: tuple[str, ...] = (
    "Europe/Berlin",
    "America/New_York",
    "Europe/London",
    "America/Los_Angeles",
    "Europe/Amsterdam",
    "America/Chicago",
    "Europe/Paris",
    "Asia/Singapore",
)

# (team name, Jira project key, repository)
TEAMS: tuple[tuple[str, str, str], ...] = (
    ("payments", "PAY", "payments-service"),
    ("platform", "PLAT", "platform-infra"),
    ("mobile-app", "MOB", "mobile-app"),
    ("checkout", "CHK", "checkout-web"),
    ("search", "SRCH", "search-api"),
    ("identity", "IDN", "identity-service"),
    ("data-platform", "DATA", "data-pipelines"),
    ("growth", "GRW", "growth-experiments"),
    ("billing", "BILL", "billing-engine"),
    ("notifications", "NOTI", "notification-hub"),
    ("web-frontend", "WEB", "web-frontend"),
    ("ml-ranking", "RANK", "ranking-models"),
    ("developer-experience", "DX", "dev-tooling"),
    ("reporting", "REP", "reporting-service"),
)

FIRST_NAMES: tuple[str, ...] = (
    "anna", "ben", "carla", "david", "elena", "felix", "grace", "hugo", "ines", "jonas",
    "kira", "liam", "maya", "nils", "olivia", "pablo", "quinn", "rosa", "samir", "tara",
    "umar", "vera", "wei", "xenia", "yusuf", "zoe", "amir", "bianca", "chen", "dara",
    "emil", "farah", "gustav", "hana", "ivan", "julia", "kofi", "lena", "marco", "nadia",
    "oscar", "priya", "rafael", "sofia", "tomas", "ursula", "victor", "wanda", "yara", "aiko",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "schmidt", "garcia", "nakamura", "okafor", "larsen", "dubois", "rossi", "novak",
    "silva", "kowalski", "jensen", "murphy", "fischer", "moreau", "petrov", "haddad",
    "lindqvist", "santos", "weber", "oconnor", "tanaka", "meyer", "costa", "ivanova",
    "andersen", "bauer", "yilmaz", "kim", "patel", "nguyen", "hoffmann", "varga",
)  # fmt: skip

PR_TOPICS: tuple[str, ...] = (
    "refunds", "retry logic", "webhook handler", "rate limiter", "audit log", "csv export",
    "session cache", "feature flags", "onboarding flow", "search filters", "push tokens",
    "invoice pdf", "currency rounding", "health checks", "pagination", "dark mode",
    "metrics dashboard", "login throttling", "schema migration", "bulk import",
    "error banner", "timeout handling", "api client", "job scheduler", "price table",
)  # fmt: skip

# (verb, label, branch prefix)
PR_VERBS: tuple[tuple[str, str, str], ...] = (
    ("Add", "feature", "feature"),
    ("Support", "enhancement", "feature"),
    ("Improve", "enhancement", "feature"),
    ("Fix", "bug", "fix"),
    ("Refactor", "refactor", "refactor"),
    ("Clean up", "chore", "chore"),
    ("Document", "docs", "docs"),
)

ISSUE_PHRASES: tuple[str, ...] = (
    "As a user I want to see {topic} in the dashboard",
    "Investigate flaky tests around {topic}",
    "{topic} returns 500 for some accounts",
    "Spike: evaluate options for {topic}",
    "Move {topic} behind a feature flag",
    "Add monitoring for {topic}",
    "Customer reports wrong totals in {topic}",
    "Upgrade dependencies used by {topic}",
)

ISSUE_LABELS: tuple[str, ...] = ("backend", "frontend", "tech-debt", "customer", "infra")

BOT_PACKAGES: tuple[str, ...] = (
    "requests", "urllib3", "pydantic", "react", "axios", "lodash", "typescript", "fastapi",
    "jackson-databind", "eslint", "vite", "boto3",
)  # fmt: skip
