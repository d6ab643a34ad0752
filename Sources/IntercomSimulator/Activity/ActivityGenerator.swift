import Logging
import ServiceLifecycle
import Synchronization

/// Makes a simulated workspace look alive: every `interval` someone signs up as a lead or a user, a user's plan
/// or name changes, a lead leaves an email, a lead becomes a user, a contact starts a conversation — or a contact
/// is merely seen, which moves only activity attributes (`last_seen_at`, the browser, the city) and `updated_at`,
/// as Intercom does. Runs the demo.
public final class ActivityGenerator: Service {
    /// One thing that happened.
    public enum Action: String, Sendable, CaseIterable {
        case newLead = "new lead"
        case newUser = "new user"
        /// `custom_attributes.plan` moves one step along free → pro → enterprise (and back to free).
        case planChanged = "plan changed"
        /// A user's `name` gains or changes its last name.
        case renamed = "name changed"
        /// A lead without an email leaves one.
        case emailSet = "lead left an email"
        case leadSignedUp = "lead signed up"
        case conversationStarted = "conversation started"
        /// Activity only: `last_seen_at`, sometimes the browser or the location, and `updated_at` move.
        case seen = "contact seen"
    }

    /// The plans a user moves through, in order.
    static let plans = ["free", "pro", "enterprise"]

    let workspace: SimulatedWorkspace
    let interval: Duration
    let logger: Logger
    private let state: Mutex<State>

    struct State {
        var random: SeededGenerator
        var serial = 0
        var leads: [String] = []
        var users: [String] = []
        /// Leads created without an email that have not left one yet.
        var leadsWithoutEmail: [String] = []
        /// Each user's position in ``ActivityGenerator/plans``.
        var plans: [String: Int] = [:]
    }

    public init(workspace: SimulatedWorkspace, interval: Duration = .seconds(3), seed: UInt64 = 42, logger: Logger) {
        self.workspace = workspace
        self.interval = interval
        self.logger = logger
        state = Mutex(State(random: SeededGenerator(seed: seed)))
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    let action = self.step()
                    self.logger.debug("simulated activity", metadata: ["action": "\(action.rawValue)"])
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {
            // Shutting down: the sleep was cut short.
        }
    }

    /// Does one thing, chosen at random among what the workspace allows (no update before a user exists).
    @discardableResult
    public func step() -> Action {
        state.withLock { state in
            let action = Self.choose(&state)
            state.serial += 1
            do {
                try perform(action, &state)
            } catch {
                logger.warning("simulated activity failed: \(error)")
            }
            return action
        }
    }

    /// Edits (plan, name, email) come more often than noise, so the demo shows `changes`.
    private static func choose(_ state: inout State) -> Action {
        var possible: [Action] = [.newLead, .newUser]
        if !state.users.isEmpty { possible += [.planChanged, .planChanged, .renamed, .seen, .conversationStarted] }
        if !state.leads.isEmpty { possible += [.leadSignedUp, .conversationStarted, .seen] }
        if !state.leadsWithoutEmail.isEmpty { possible += [.emailSet] }
        return possible[Int.random(in: 0..<possible.count, using: &state.random)]
    }

    private func perform(_ action: Action, _ state: inout State) throws(APIError) {
        let name = SeedCatalog.firstNames[state.serial % SeedCatalog.firstNames.count]
        switch action {
        case .newLead:
            let id = try workspace.createContact(role: "lead", name: name).id
            state.leads.append(id)
            state.leadsWithoutEmail.append(id)
        case .newUser:
            let email = "\(name.lowercased()).\(state.serial)@example.com"
            let id = try workspace.createContact(
                role: "user", email: email, name: name, customAttributes: ["plan": Self.plans[0]]
            ).id
            state.users.append(id)
            state.plans[id] = 0
        case .planChanged:
            let id = state.random.pick(state.users)
            let next = ((state.plans[id] ?? -1) + 1) % Self.plans.count
            try workspace.setContactAttributes(id: id, ["custom_attributes.plan": .string(Self.plans[next])])
            state.plans[id] = next
        case .renamed:
            let id = state.random.pick(state.users)
            let first = workspace.contact(id: id)?.name?.split(separator: " ").first.map(String.init) ?? name
            let last = state.random.pick(SeedCatalog.lastNames)
            try workspace.setContactAttributes(id: id, ["name": .string("\(first) \(last)")])
        case .emailSet:
            let id = state.leadsWithoutEmail.remove(
                at: Int.random(in: 0..<state.leadsWithoutEmail.count, using: &state.random))
            let first = workspace.contact(id: id)?.name ?? name
            try workspace.setContactAttributes(
                id: id, ["email": .string("\(first.lowercased()).\(state.serial)@example.com")])
        case .leadSignedUp:
            let id = state.leads.remove(at: Int.random(in: 0..<state.leads.count, using: &state.random))
            state.leadsWithoutEmail.removeAll { $0 == id }
            try workspace.setContactAttributes(
                id: id, ["role": "user", "custom_attributes.plan": .string(Self.plans[0])])
            state.users.append(id)
            state.plans[id] = 0
        case .conversationStarted:
            let id = state.random.pick(state.users + state.leads)
            try workspace.createConversation(contactID: id, body: state.random.pick(SeedCatalog.openers))
        case .seen:
            let id = state.random.pick(state.users + state.leads)
            var moved = Self.sighting(&state.random)
            moved["last_seen_at"] = .int(workspace.clock.nowSeconds())
            try workspace.recordContactActivity(id: id, moved)
        }
    }

    /// What a sighting moves besides `last_seen_at`: nothing, a newer browser, or a city (from the new IP).
    private static func sighting(_ random: inout SeededGenerator) -> [String: ContactAttributeValue] {
        var moved: [String: ContactAttributeValue] = [:]
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            break
        case 1:
            let browser = random.pick(SeedCatalog.browsers)
            moved["browser"] = .string(browser.0)
            moved["browser_version"] = .string(browser.1)
            moved["os"] = .string(random.pick(SeedCatalog.systems))
        default:
            let place = random.pick(SeedCatalog.places)
            moved["location.city"] = .string(place.0)
            moved["location.region"] = .string(place.1)
            moved["location.country"] = .string(place.2)
            moved["location.country_code"] = .string(place.3)
            moved["location.continent_code"] = .string(place.4)
        }
        return moved
    }
}
