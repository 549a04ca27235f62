fn main() {
    println!("textmend {}", env!("CARGO_PKG_VERSION"));
}
