/// How an outgoing document reaches a recipient.
enum Delivery: String, Codable, Sendable {
    /// Chỉ gửi bản điện tử.
    case electronic
    /// Gửi bản điện tử, đồng thời gửi kèm văn bản giấy.
    case electronicAndPaper
    /// Secret documents: never electronically.
    case paperOnly

    var includesPaper: Bool { self != .electronic }
    var isElectronic: Bool { self != .paperOnly }
}

/// What a draft is about, as far as the paper rules care (seed §4.2).
struct DeliveryFlags: Equatable, Sendable {
    /// Văn bản quy phạm pháp luật.
    var legalNormative = false
    /// Trình cấp ủy, HĐND, UBND cùng cấp và cấp trên.
    var submissionToCommittee = false
    /// Mang tính chỉ đạo, cho chủ trương, hướng dẫn.
    var directive = false
    /// Dự toán, phê duyệt, phân bổ, giao chỉ tiêu, định mức, thanh quyết toán tài chính, ngân sách.
    var budget = false
    /// Tổ chức bộ máy, cán bộ, biên chế.
    var staffing = false
    /// Ban hành bộ thủ tục hành chính.
    var administrativeProcedure = false

    static let names = ["legalNormative", "submissionToCommittee", "directive", "budget", "staffing", "administrativeProcedure"]

    init(legalNormative: Bool = false, submissionToCommittee: Bool = false, directive: Bool = false, budget: Bool = false, staffing: Bool = false, administrativeProcedure: Bool = false) {
        self.legalNormative = legalNormative
        self.submissionToCommittee = submissionToCommittee
        self.directive = directive
        self.budget = budget
        self.staffing = staffing
        self.administrativeProcedure = administrativeProcedure
    }

    /// From the names stored and sent over HTTP; nil names the first unknown one.
    init?(names: [String]) {
        for name in names {
            switch name {
            case "legalNormative": legalNormative = true
            case "submissionToCommittee": submissionToCommittee = true
            case "directive": directive = true
            case "budget": budget = true
            case "staffing": staffing = true
            case "administrativeProcedure": administrativeProcedure = true
            default: return nil
            }
        }
    }

    var names: [String] {
        zip(Self.names, [legalNormative, submissionToCommittee, directive, budget, staffing, administrativeProcedure]).filter(\.1).map(\.0)
    }

    var any: Bool { !names.isEmpty }
}

/// The electronic / paper rules of seed §4 (Decisions 25/2018 and 28/2018/QĐ-TTg): non-secret
/// documents go electronic-only, except the categories of §4.2, which go with paper too; secret ones
/// never travel electronically. The author may add paper, never drop it.
enum DeliveryRules {
    /// The default for a recipient of a document of type `typeAbbreviation` (nil for Công văn).
    static func required(typeAbbreviation: String?, flags: DeliveryFlags, secret: Bool) -> Delivery {
        if secret { return .paperOnly }
        if flags.any { return .electronicAndPaper }
        // Nghị quyết is the one type of this catalog that is always a legal normative document here.
        if typeAbbreviation == "NQ" { return .electronicAndPaper }
        return .electronic
    }

    /// The author's wish (`paper` nil: the default) against the rule; a refusal says why in Vietnamese.
    static func resolve(paper: Bool?, typeAbbreviation: String?, flags: DeliveryFlags, secret: Bool) -> Result<Delivery, WorkflowRefusal> {
        let rule = required(typeAbbreviation: typeAbbreviation, flags: flags, secret: secret)
        switch (rule, paper) {
        case (.paperOnly, _):
            return .success(.paperOnly)
        case (.electronicAndPaper, false):
            return .failure(.invalid("Văn bản loại này phải gửi kèm bản giấy (Quyết định 28/2018/QĐ-TTg); không thể bỏ bản giấy."))
        case (.electronic, true):
            return .success(.electronicAndPaper)
        default:
            return .success(rule)
        }
    }
}
