// Linux's SCTP facts, read off <linux/sctp.h> (src/linux.rs includes them).
include!("../facts.rs");

fn main() {
    generate_facts("facts/linux.c", "linux_facts", &[]);
}
