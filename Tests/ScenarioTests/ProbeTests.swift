import Testing
@testable import Scenario

@Test func probe() {
    let cases: [String] = [
        """
        name: x
        keys:
          user:1: {cached: 1, source: 1}
        workers: 2
        calls:
          - {at: 300, worker: w3, key: user:2}
          - {at: -5ms, worker: x1, key: user:1}
        network:
          laterncy: 3ms
        protocols: [pr-4281, {slow: {preset: pre-review, write: fenced, lease-ttl: 1500us}}, {fast: {preset: fenced, lock: none}}]
        expect:
          fenced: {fail: [single-loder], hold: [bounded-latency, bounded-latency]}
          slow: {fail: [single-loader], hold: [single-loader]}
        explore:
          network-latency: [5ms]
        faults:
          - {worker: w2, call: 2, pause: 2s, at: after-lod}
          - {worker: w1, lose-reply: acquire, at: after-load}
          - {restart-redis: 4s, worker: w1}
          - {worker: w1}
        """,
        "name: x\nname: y\nfoo: 3\nworkers: two\ncalls: {}\nkeys: []\n",
        "a: [1, 2\n",
        "",
        "- a\n- b\n",
        "a: &x 1\nb: *x\nc: !!str 3\n",
        "---\na: 1\n---\nb: 2\n",
    ]
    for text in cases {
        print("-----")
        for p in TestSupport.problems(text) { print(p) }
    }
}
