/// Word lists for realistic seeded records.
enum SeedCatalog {
    static let firstNames = [
        "Amelia", "Oliver", "Isla", "Noah", "Ava", "Liam", "Mia", "Lucas", "Sofia", "Mateo", "Chloe", "Ethan", "Zara",
        "Hiroshi", "Aiko", "Priya", "Arjun", "Fatima", "Omar", "Lena", "Jonas", "Elena", "Marco", "Chiara", "Sven",
        "Ingrid", "Kwame", "Amara", "Diego", "Lucía", "Grace", "Daniel", "Nora", "Felix", "Hannah", "Samuel", "Yuki",
        "Mei", "Wei", "Olivia",
    ]
    static let lastNames = [
        "Hughes", "Murphy", "Kelly", "Schmidt", "Müller", "Rossi", "Bianchi", "García", "Martínez", "Silva", "Santos",
        "Tanaka", "Suzuki", "Kim", "Park", "Nguyen", "Patel", "Sharma", "Khan", "Okafor", "Mensah", "Johansson",
        "Nielsen", "Dubois", "Moreau", "O'Brien", "Walsh", "Brennan", "Cohen", "Levy", "Novak", "Kowalski", "Smith",
        "Taylor", "Brown", "Wilson", "Chen", "Wang", "Li", "Fischer",
    ]
    static let emailDomains = [
        "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "fastmail.com", "hey.com",
    ]
    /// City, region, country, country code, continent code.
    static let places: [(String, String, String, String, String)] = [
        ("Dublin", "Leinster", "Ireland", "IRL", "EU"), ("London", "England", "United Kingdom", "GBR", "EU"),
        ("Berlin", "Berlin", "Germany", "DEU", "EU"), ("Paris", "Île-de-France", "France", "FRA", "EU"),
        ("Madrid", "Madrid", "Spain", "ESP", "EU"), ("Milan", "Lombardy", "Italy", "ITA", "EU"),
        ("San Francisco", "California", "United States", "USA", "NA"),
        ("New York", "New York", "United States", "USA", "NA"), ("Austin", "Texas", "United States", "USA", "NA"),
        ("Toronto", "Ontario", "Canada", "CAN", "NA"), ("São Paulo", "São Paulo", "Brazil", "BRA", "SA"),
        ("Mexico City", "Mexico City", "Mexico", "MEX", "NA"), ("Tokyo", "Tokyo", "Japan", "JPN", "AS"),
        ("Bengaluru", "Karnataka", "India", "IND", "AS"), ("Singapore", "Singapore", "Singapore", "SGP", "AS"),
        ("Sydney", "New South Wales", "Australia", "AUS", "OC"), ("Lagos", "Lagos", "Nigeria", "NGA", "AF"),
        ("Nairobi", "Nairobi", "Kenya", "KEN", "AF"), ("Stockholm", "Stockholm", "Sweden", "SWE", "EU"),
        ("Warsaw", "Masovia", "Poland", "POL", "EU"),
    ]
    static let browsers = [
        ("chrome", "128.0.6613.120"), ("firefox", "130.0"), ("safari", "17.6"), ("edge", "128.0.2739.67"),
    ]
    static let systems = ["Windows 11", "OS X 14.6", "Linux", "iOS 17.6", "Android 14"]
    static let languages = ["en", "en-GB", "de", "fr", "es", "it", "ja", "pt-BR"]
    static let plans = ["Starter", "Pro", "Premium", "Enterprise"]
    static let industries = [
        "Software", "Retail", "Fintech", "Healthcare", "Education", "Logistics", "Media", "Travel",
    ]
    static let companyWords = [
        "Acme", "Northwind", "Bluefin", "Copperleaf", "Driftwood", "Evergreen", "Foxglove", "Granite", "Harbor",
        "Ironbark",
        "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchard", "Pinecrest", "Quartz", "Riverstone", "Saffron",
    ]
    static let companySuffixes = ["Labs", "Systems", "Analytics", "Logistics", "Studio", "Health", "Foods", "Cloud"]
    static let openers = [
        "Hi, I can't log in to my account since this morning.", "How do I export my invoices as CSV?",
        "The mobile app crashes when I open settings.", "Can I change the email address on my account?",
        "I was charged twice this month, can you help?", "Is there an API for bulk imports?",
        "Where can I find the onboarding guide?", "I need support with our SSO configuration.",
        "Our team can't see the shared dashboard.", "Do you offer a discount for nonprofits?",
    ]
    static let adminReplies = [
        "Thanks for reaching out! Let me look into that for you.", "Could you send me a screenshot of the error?",
        "I've refunded the duplicate charge; it will show in 3–5 days.", "Here is the guide: https://example.com/docs",
        "That's fixed now, could you try again?",
    ]
}
