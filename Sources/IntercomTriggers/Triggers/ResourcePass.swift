import Foundation

/// One pass over a resource's search stream (docs/polling.md): newest first, down to the read bound,
/// one store transaction per page. Nothing is skipped when items move between pages or share a second,
/// and nothing fires twice: the store remembers every fired version.
public struct ResourcePass: Sendable {
    public let resource: Resource
    /// The enabled topics of `resource`.
    public let topics: [Topic]
    /// How late an item may become searchable and still fire (seconds).
    public let lookback: Int
    /// `app_id` of the workspace: part of every event id.
    public let workspaceID: String
    /// Attribute paths that are not changes (`[triggers] ignore_fields`).
    public let ignoredFields: Set<String>
    /// The workspace's rows in the store.
    public let storeWorkspace: StoreWorkspace
    /// The names of `topics`.
    let topicNames: Set<String>

    public init(
        resource: Resource, topics: [Topic], lookback: Int, workspaceID: String,
        ignoredFields: [String] = DaemonConfiguration.Triggers.defaultIgnoreFields,
        storeWorkspace: StoreWorkspace = .first
    ) {
        self.storeWorkspace = storeWorkspace
        self.resource = resource
        self.topics = topics.filter { $0.resource == resource }
        self.topicNames = Set(self.topics.map(\.name))
        self.lookback = lookback
        self.workspaceID = workspaceID
        self.ignoredFields = Set(ignoredFields)
    }

    /// How far ahead of the pass's clock an item's timestamp may move a watermark: API clients can set
    /// `created_at`, and a value in milliseconds (or `Int.max`) must not park the watermark in the future.
    public static let futureMargin = 300

    /// The stream field of a read down to `bound`: `updated_at` when a topic versions by it, else `created_at`
    /// (fewer changes to read). A read of everything (`bound` ≤ 0: a backfill from the beginning) goes by
    /// `created_at` either way: it finds the same records, and in the order of their ids (Intercom's ids begin
    /// with their creation time), which the store's tables are keyed by, so a backfill writes far fewer pages.
    public func field(bound: Int) -> VersionField {
        bound > 0 && topics.contains { $0.version == .updatedAt } ? .updatedAt : .createdAt
    }

    /// Each topic's start and dedup horizon at `now`, from its stored state.
    func windows(_ states: [String: TopicState], now: Int) -> [String: TopicWindow] {
        states.reduce(into: [:]) { windows, entry in
            let state = entry.value
            let horizon = state.horizon(now: now, lookback: lookback)
            windows[entry.key] = TopicWindow(start: state.startAt, horizon: max(horizon, state.prunedBelow ?? horizon))
        }
    }

    /// Runs the pass: reads what the store remembers from `store`, and hands each classified page to `commit`
    /// (the store's transaction, with the outbox routes the caller decides). `onCommit` is called after every
    /// page that queued events, `onPage` after every page.
    ///
    /// When an earlier pass over the resource did not finish (a crash, a 401, a storm of errors), its
    /// ``ResumePoint`` is read first: the rest of that pass, from where it got down to its bound, then this
    /// pass from the newest record as usual (mostly pages it re-reads within the lookback).
    ///
    /// `state` is what ``StateStore/passState(_:in:)`` would return, when the caller knows it (``PollerService``
    /// keeps it while its passes commit nothing); nil reads it. `recentItems` is what the last pass found within
    /// its range (``PassReport/items``), which sizes the first pages (``StreamRequest/firstPageSize(expecting:)``).
    public func run(
        source: any ObservationSource, store: StateStore, now: Int, state: PassState? = nil, recentItems: Int? = nil,
        commit: @escaping @Sendable (PageCommit) async throws -> PageOutcome,
        onCommit: @escaping @Sendable () -> Void = {}, onPage: @escaping @Sendable () -> Void = {}
    ) async throws -> PassReport {
        var report = PassReport(resource: resource)
        let firstPage = StreamRequest.firstPageSize(expecting: recentItems)
        let stream = Stream(
            pass: self, source: source, store: store, now: now, commit: commit, onCommit: onCommit, onPage: onPage)
        let known: PassState
        if let state {
            known = state
        } else {
            known = try await store.passState(resource, in: storeWorkspace)
        }
        report.passState = known
        let (stored, resume) = (known.topics, known.resume)
        var states = stream.states(stored)
        report.states = states
        var resumeStored = resume != nil
        if let resume, resume.field == field(bound: resume.bound) {
            guard !states.isEmpty else { return report }
            report.resumed = true
            try await stream.read(
                StreamRequest(
                    resource: resource, field: resume.field, bound: resume.bound, upper: resume.reached,
                    firstPageSize: firstPage),
                states: states, passStart: resume.passStart, newest: resume.newest, resumeStored: &resumeStored,
                into: &report)
            // Read again: the resumed pass moved them. This pass's bound comes from the watermarks.
            states = stream.states(try await store.topicStates(in: storeWorkspace))
        }
        guard !states.isEmpty else { return report }
        let bound = states.values.map { $0.horizon(now: now, lookback: lookback) }.min()!
        report.watermark = try await stream.read(
            StreamRequest(resource: resource, field: field(bound: bound), bound: bound, firstPageSize: firstPage),
            states: states, passStart: now,
            newest: nil, resumeStored: &resumeStored, into: &report)
        return report
    }

    /// One pass's reads of the stream, with what they share.
    struct Stream {
        let pass: ResourcePass
        let source: any ObservationSource
        let store: StateStore
        let now: Int
        let commit: @Sendable (PageCommit) async throws -> PageOutcome
        let onCommit: @Sendable () -> Void
        let onPage: @Sendable () -> Void

        /// The pass's topics among `stored`, by name.
        func states(_ stored: [TopicState]) -> [String: TopicState] {
            Dictionary(
                uniqueKeysWithValues: stored.filter { pass.topicNames.contains($0.topic) }.map { ($0.topic, $0) })
        }

        /// Reads `request` newest first down to its bound, one transaction per page, for the topics of `byName`
        /// (their stored state); every page but the last records how far the read got (a ``ResumePoint`` of a
        /// pass started at `passStart`), the last one moves the watermarks past the newest timestamp read
        /// (from `newest` on) and clears it. Returns the newest timestamp read.
        @discardableResult
        func read(
            _ request: StreamRequest, states byName: [String: TopicState], passStart: Int, newest: Int?,
            resumeStored: inout Bool, into report: inout PassReport
        ) async throws -> Int? {
            let field = request.field
            // The same for every page of the read.
            let windows = pass.windows(byName, now: now)
            let classifier = Classifier(topics: pass.topics)
            var newest = newest
            var reached = request.upper ?? .max
            let ceiling = now.addingSaturated(ResourcePass.futureMargin)
            var page = try await source.page(request, after: nil)
            while true {
                try Task.checkCancellation()
                report.pages += 1
                report.skipped += page.skipped
                let inWindow = page.items.filter { request.contains($0.value(of: field)) }
                // A timestamp past the ceiling still fires (its version is what Intercom says), but the
                // watermark stops at the ceiling, so the next poll still reads everything until then.
                let future = page.items.filter { $0.value(of: field) > ceiling }
                newest = ([newest].compactMap { $0 } + inWindow.map { min($0.value(of: field), ceiling) }).max()
                reached = ([reached] + inWindow.map { $0.value(of: field) }).min()!
                // Newest first: an item older than the bound means every later page is older still.
                guard let cursor = page.nextCursor, !page.items.contains(where: { $0.value(of: field) < request.bound })
                else {
                    try await settle(
                        inWindow, of: request, future: future, finished: true, newest: newest, reached: reached,
                        classifier: classifier, windows: windows, states: byName, passStart: passStart,
                        resumeStored: &resumeStored, into: &report)
                    return newest
                }
                // The next page is fetched while this one is classified and committed: the request and the
                // store write overlap. Correctness does not depend on the order: sightings are read per page.
                // (Only then: a child task for no request would cost an idle poll a thread wake-up.)
                async let following = source.page(request, after: cursor)
                try await settle(
                    inWindow, of: request, future: future, finished: false, newest: newest, reached: reached,
                    classifier: classifier, windows: windows, states: byName, passStart: passStart,
                    resumeStored: &resumeStored, into: &report)
                page = try await following
            }
        }

        /// Classifies one page's items in `request`'s range and commits them (or, when that changes nothing a later
        /// pass needs, nothing): the last page of a read moves the watermarks, every other one records a resume point.
        private func settle(
            _ inWindow: [Observation], of request: StreamRequest, future: [Observation], finished: Bool, newest: Int?,
            reached: Int, classifier: Classifier, windows: [String: TopicWindow], states byName: [String: TopicState],
            passStart: Int, resumeStored: inout Bool, into report: inout PassReport
        ) async throws {
            var classified = try await pass.classify(
                inWindow, with: classifier, windows: windows, store: store, now: now)
            if finished {
                // The watermark is the first second not yet read: a record at `newest` that shows up later
                // is inside the lookback while it matters, and the quiet re-read stops short of it. A
                // pass that found nothing keeps the watermarks and records its start only once it is half a
                // lookback past the stored one (isQuiet).
                classified.watermarks = byName.mapValues { newest?.addingSaturated(1) ?? $0.watermark }
                classified.passStartedAt = passStart
                classified.resume = .clear(pass.resource)
            } else {
                classified.resume = .record(
                    ResumePoint(
                        resource: pass.resource, field: request.field, passStart: passStart, bound: request.bound,
                        newest: newest, reached: reached))
            }
            // Logged and counted once per item: when its version first fires, not on every re-read.
            let firing = Set(classified.events.map(\.itemID))
            report.futureDated += future.lazy.filter { firing.contains($0.id) }.map(\.id)
            report.replacedInvalidUTF8 += inWindow.lazy.filter { $0.replacedInvalidUTF8 && firing.contains($0.id) }
                .map(\.id)
            let outcome: PageOutcome
            if pass.isQuiet(classified, states: byName, resumeStored: resumeStored) {
                outcome = PageOutcome()  // nothing the next pass needs: an idle poll writes nothing
                report.uncommittedPages += 1
                // A quiet last page after committed ones: the state they left is not known here.
                if finished { report.passStateAfter = nil }
            } else {
                outcome = try await commit(classified)
                if finished { report.passStateAfter = outcome.passState }
                switch classified.resume {
                case .keep: break
                case .record: resumeStored = true
                case .clear: resumeStored = false
                }
            }
            let queued = outcome.queued
            report.suppressedByTopic.merge(outcome.suppressed, uniquingKeysWith: +)
            report.filteredByDestination.merge(outcome.filtered, uniquingKeysWith: +)
            report.items += inWindow.count
            report.events += queued.count
            for event in queued { report.eventsByTopic[event.topic, default: 0] += 1 }
            if !queued.isEmpty { onCommit() }
            onPage()
        }
    }

    /// Whether committing `page` would change nothing a later pass needs, so it is not committed: no event, seen
    /// version or role to record, no watermark to move (a commit never moves one back), no resume point to clear,
    /// and a resume point or pass start that would only be fresher. A stale resume point makes a pass after a crash
    /// re-read a little more; a pass start (``TopicState/lastPassStart``) older by less than half the lookback
    /// widens the next pass's re-read by that much (`B = min(W, P − lookback)`): both only cost reads, never
    /// an event.
    func isQuiet(_ page: PageCommit, states: [String: TopicState], resumeStored: Bool) -> Bool {
        guard page.events.isEmpty, page.seenOnly.isEmpty, page.roles.isEmpty else { return false }
        if case .clear = page.resume, resumeStored { return false }
        for (topic, watermark) in page.watermarks {
            guard let state = states[topic], watermark <= state.watermark else { return false }
            if let started = page.passStartedAt {
                guard let last = state.lastPassStart, started.subtractingSaturated(last) < max(1, lookback / 2)
                else { return false }
            }
        }
        return true
    }

    /// The page's commit: fired versions as events (oldest first, so a page reads in time order),
    /// superseded versions as seen-only, and the roles to remember.
    func classify(
        _ items: [Observation], with classifier: Classifier, windows: [String: TopicWindow], store: StateStore, now: Int
    ) async throws -> PageCommit {
        guard !items.isEmpty else {  // nothing in the window (an idle poll's page): nothing to look up
            var commit = PageCommit(events: [], watermarks: [:], detectedAt: now, workspaceID: workspaceID)
            commit.workspace = storeWorkspace
            return commit
        }
        let candidates = items.flatMap { item in
            topics.map { SeenVersion(topic: $0.name, itemID: item.id, version: item.value(of: $0.version)) }
        }
        let known = try await store.sightings(
            of: candidates,
            roles: resource == .contacts ? Dictionary(items.map { ($0.id, $0.updatedAt) }, uniquingKeysWith: max) : [:],
            in: storeWorkspace)
        var events: [NewEvent] = []
        var seenOnly: [SeenVersion] = []
        var roles: [String: RoleSighting] = [:]
        for item in items.reversed() {
            let detections = classifier.classify(
                item, priorRole: known.roles[item.id], wasLead: known.formerLeads.contains(item.id), windows: windows
            ) {
                known.seen.contains(SeenVersion(topic: $0, itemID: $1, version: $2))
            }
            for detection in detections {
                if detection.fires {
                    let id = EventID.make(
                        workspace: workspaceID, topic: detection.topic, itemID: item.id, version: detection.version)
                    events.append(
                        NewEvent(
                            id: id, topic: detection.topic, itemID: item.id, version: detection.version, item: item.raw)
                    )
                } else {
                    seenOnly.append(SeenVersion(topic: detection.topic, itemID: item.id, version: detection.version))
                }
            }
            // A role the store already holds is not written again: a quiet re-read of the lookback writes nothing.
            if let role = item.role, known.stored[item.id] != role {
                roles[item.id] = RoleSighting(role: role, version: item.updatedAt)
            }
        }
        var commit = PageCommit(
            events: events, seenOnly: seenOnly, watermarks: [:], detectedAt: now, roles: roles, workspaceID: workspaceID
        )
        commit.workspace = storeWorkspace
        // Snapshots serve update topics only: a workspace without them keeps none.
        commit.keepsSnapshots = topics.contains { TopicCatalog.changeTopics.contains($0.name) }
        commit.ignoredFields = ignoredFields
        return commit
    }
}
