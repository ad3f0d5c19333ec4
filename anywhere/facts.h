/* Helpers for the facts programs (proto/facts/linux.c, sctpd/facts/usrsctp.c): each prints Rust
 * source. C(x) a c_int constant, U(x) a u32 constant, STRUCT(s) opens `pub mod s` with its SIZE,
 * F(s, f) the offset of field f, END closes the module. */
#include <stddef.h>
#include <stdio.h>

#define C(x) printf("pub const %s: i32 = %lld;\n", #x, (long long)(x))
#define U(x) printf("pub const %s: u32 = %llu;\n", #x, (unsigned long long)(x))
#define STRUCT(s) printf("#[allow(non_upper_case_globals, dead_code)]\npub mod %s {\n    pub const SIZE: usize = %zu;\n", #s, sizeof(struct s))
#define TYPEDEF(t) printf("#[allow(non_upper_case_globals, dead_code)]\npub mod %s {\n    pub const SIZE: usize = %zu;\n", #t, sizeof(t))
#define F(s, f) printf("    pub const %s: usize = %zu;\n", #f, offsetof(struct s, f))
#define TF(t, f) printf("    pub const %s: usize = %zu;\n", #f, offsetof(t, f))
#define END printf("}\n")
