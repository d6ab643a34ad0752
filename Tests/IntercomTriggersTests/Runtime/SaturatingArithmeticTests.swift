import Testing

@testable import IntercomTriggers

@Suite struct SaturatingArithmeticTests {
    @Test(
        arguments: [
            (1, 2, 3), (Int.max, 1, Int.max), (Int.max - 1, 5, Int.max), (Int.min, -1, Int.min), (-5, Int.min, Int.min),
            (1_763_716_800, Int.max, Int.max), (0, 0, 0), (Int.max, Int.min, -1),
        ] as [(Int, Int, Int)])
    func addsWithoutTrapping(_ left: Int, _ right: Int, _ sum: Int) {
        #expect(left.addingSaturated(right) == sum)
    }

    @Test(
        arguments: [
            (3, 4, 12), (Int.max, 2, Int.max), (Int.min, 2, Int.min), (-3, Int.max, Int.min), (Int.min, -1, Int.max),
            (0, Int.max, 0), (-4, -5, 20),
        ] as [(Int, Int, Int)])
    func multipliesWithoutTrapping(_ left: Int, _ right: Int, _ product: Int) {
        #expect(left.multipliedSaturated(by: right) == product)
    }
}
