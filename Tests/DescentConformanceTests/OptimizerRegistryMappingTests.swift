import DescentConformance
import DescentFiles
import DescentOptim
import XCTest

/// The conformance module's reference names map onto DescentOptim's one registry: every optimizer the registry
/// offers has a reference name, and the factory builds the registry's rule for it.
final class OptimizerRegistryMappingTests: XCTestCase {
    func testEveryRegisteredOptimizerHasAReferenceNameThatBuildsItsRule() throws {
        var covered: Set<OptimizerRegistry> = []
        // The names conformance files use (PyTorch, Optax, schedulefree, prodigyopt, dadaptation).
        let names = ["SGD", "Adam", "AdamW", "NAdam", "RAdam", "Adamax", "RMSprop", "Adagrad", "Adadelta", "Lion", "LAMB", "LARS",
                     "SGDScheduleFree", "AdamWScheduleFree", "Prodigy", "DAdaptSGD", "DAdaptAdam"]
        for name in names {
            guard let entry = OptimizerFactory.registryEntry(reference: name) else { continue }
            covered.insert(entry)
            struct RuleName: OptimizerRuleTask { func run<Rule: OptimizerRule>(_ rule: Rule) throws -> String { rule.name } }
            let built = try OptimizerFactory.make(reference: name, parameters: ["lr": .number(0.01)])
            XCTAssertEqual(built.ruleName, try entry.withRule(RuleName(), momentum: 0.9), name)
        }
        XCTAssertEqual(covered, Set(OptimizerRegistry.allCases))
        XCTAssertNil(OptimizerFactory.registryEntry(reference: "Lion"))
    }
}
