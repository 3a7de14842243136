import DescentData
import DescentNN
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// λmax by power iteration on finite-difference Hessian-vector products, against closed forms.
final class StabilityCeilingTests: XCTestCase {
    /// H = Q·diag(λ)·Qᵀ with Q a rotation in the (0, 1) plane by 30° and eigenvalues 9, 4, 1, 0.5.
    func testAQuadraticWithKnownEigenvalues() throws {
        let eigenvalues = [4.0, 9.0, 1.0, 0.5]
        let (c, s) = (Foundation.cos(Double.pi / 6), Foundation.sin(Double.pi / 6))
        let q: [[Double]] = [[c, -s, 0, 0], [s, c, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
        let h = (0..<4).map { i in (0..<4).map { j in (0..<4).reduce(0.0) { $0 + q[i][$1] * eigenvalues[$1] * q[j][$1] } } }
        // L(w) = ½(w − w*)ᵀH(w − w*): gradient H(w − w*), at a point far from w*.
        let center = [0.3, -1.0, 2.0, 0.7]
        let ceiling = try StabilityCeiling.estimate(at: [5, -3, 1, 10]) { w in
            (0..<4).map { i in (0..<4).reduce(0.0) { $0 + h[i][$1] * (w[$1] - center[$1]) } }
        }
        XCTAssertEqual(ceiling.lambdaMax, 9, accuracy: 9e-4)
        XCTAssertEqual(try XCTUnwrap(ceiling.learningRate), 2.0 / 9, accuracy: 1e-4)
        XCTAssertEqual(try XCTUnwrap(ceiling.learningRate(momentum: 0.9)), 2 * 1.9 / 9, accuracy: 2e-4)
        XCTAssertTrue(ceiling.converged)
    }

    /// At a saddle the eigenvalue of largest magnitude is negative; the ceiling is set by the largest one, 4.
    func testASaddleWhoseLargestMagnitudeEigenvalueIsNegative() throws {
        let diagonal = [-9.0, 4.0, 1.0, -2.0]
        let ceiling = try StabilityCeiling.estimate(at: [1, 2, 3, 4]) { w in zip(diagonal, w).map { $0 * $1 } }
        XCTAssertEqual(ceiling.lambdaMax, 4, accuracy: 4e-3)
        XCTAssertEqual(try XCTUnwrap(ceiling.learningRate), 0.5, accuracy: 1e-3)
        // A concave point has no ceiling.
        let concave = try StabilityCeiling.estimate(at: [1, 1]) { w in [-2 * w[0], -w[1]] }
        XCTAssertLessThan(concave.lambdaMax, 0)
        XCTAssertNil(concave.learningRate)
    }

    func testTheDocumentedExample() throws {
        let ceiling = try StabilityCeiling.estimate(at: [1, 1, 1]) { w in [4 * w[0], w[1], 0.25 * w[2]] }
        XCTAssertEqual(ceiling.lambdaMax, 4, accuracy: 4e-4)
        XCTAssertEqual(try XCTUnwrap(ceiling.learningRate), 0.5, accuracy: 1e-4)
    }

    /// Gradient descent at just below 2/λmax converges on the quadratic and just above it blows up.
    func testTheCeilingSeparatesConvergenceFromDivergence() throws {
        let diagonal = [10.0, 3.0, 0.2]
        let gradient: ([Double]) -> [Double] = { w in zip(diagonal, w).map { $0 * $1 } }
        let ceiling = try XCTUnwrap(try StabilityCeiling.estimate(at: [1, 1, 1], gradient: gradient).learningRate)
        func finalNorm(_ rate: Double) -> Double {
            var w = [1.0, 1.0, 1.0]
            for _ in 0..<200 { w = zip(w, gradient(w)).map { $0 - rate * $1 } }
            return w.map(abs).max()!
        }
        XCTAssertLessThan(finalNorm(0.95 * ceiling), 1)
        XCTAssertGreaterThan(finalNorm(1.05 * ceiling), 1e3)
    }

    /// Linear model under mean squared error: the Hessian is exactly (2/n)·X̃ᵀX̃ with X̃ = [X 1], whatever the weights.
    func testALinearModelUnderMeanSquaredErrorOnDiabetes() throws {
        let split = try Datasets.load(named: "diabetes").split(validationFraction: 0.2, seed: 0).standardized().split
        let data = split.train
        var generator = SeededGenerator(seed: 3)
        let model = Sequential([try Linear(data.featureCount, 1, using: &generator)])
        let before = model.stateDictionary
        let ceiling = try StabilityCeiling.estimate(model: model, data: data, maximumIterations: 200, tolerance: 1e-7)

        let n = data.count, d = data.featureCount
        let x = data.features.scalars.map(Double.init)
        var gram = Array(repeating: Array(repeating: 0.0, count: d + 1), count: d + 1)
        for row in 0..<n {
            let extended = Array(x[(row * d)..<((row + 1) * d)]) + [1]
            for i in 0...d { for j in 0...d { gram[i][j] += 2 * extended[i] * extended[j] / Double(n) } }
        }
        let exact = Self.largestEigenvalue(gram)
        XCTAssertEqual(ceiling.lambdaMax, exact, accuracy: 1e-3 * exact)
        // The model is left as it was.
        for (name, value) in before { XCTAssertTrue(model.stateDictionary[name]!.isEqual(to: value), name) }
    }

    func testAModelWithoutParametersIsAnError() throws {
        let data = try Datasets.load(named: "iris")
        XCTAssertThrowsError(try StabilityCeiling.estimate(model: Sequential([ReLU()]), data: data)) { error in
            XCTAssertTrue("\(error)".contains("no trainable parameters"), "\(error)")
        }
        XCTAssertThrowsError(try StabilityCeiling.estimate(at: []) { $0 })
    }

    /// The largest eigenvalue of a symmetric matrix by cyclic Jacobi rotations (independent of the code under test).
    static func largestEigenvalue(_ matrix: [[Double]]) -> Double {
        var a = matrix
        let size = a.count
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<size { for q in (p + 1)..<size { off += a[p][q] * a[p][q] } }
            if off < 1e-22 { break }
            for p in 0..<size {
                for q in (p + 1)..<size where abs(a[p][q]) > 1e-300 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<size {
                        let (akp, akq) = (a[k][p], a[k][q])
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<size {
                        let (apk, aqk) = (a[p][k], a[q][k])
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<size).map { a[$0][$0] }.max()!
    }
}
