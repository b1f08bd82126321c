#!/usr/bin/perl
# test/adversarial/mutate.pl -- the mutators of the state fuzzing (perl:
# Debian always has it). Deterministic for a given --seed.
#
#   mutate.pl text SEED COUNT < states.tsv > mutants.tsv
#       states.tsv: TYPE \t ORIGIN \t STATE-TEXT (COPY text format); writes
#       COUNT lines TYPE \t ORIGIN; MUTATION \t MUTANT (COPY text format),
#       taking the states round robin. Mutations: bit flips, truncation,
#       duplication, and structure-aware ones: huge, negative and zero
#       counts, widths, parameters and items made NaN, +-Infinity, -1,
#       1e308, 5e-324, huge; dropped or added fields (value_list text
#       "version:width:params:count:items" and float8[] "{a,b,...}").
#   mutate.pl binary SEED COUNT DIR < states.copy
#       states.copy: COPY (FORMAT binary) of (id int4, state); writes
#       DIR/NNNN.copy, one tuple each (the state mutated: bytes flipped,
#       truncated or extended, the header's count/width/nparams made huge,
#       negative or zero, floats made NaN or Infinity; the field length
#       kept consistent unless the mutation is a broken frame), and
#       DIR/index.tsv: N \t ID \t MUTATION.
use strict;
use warnings;

my ($mode, $seed, $count, $dir) = @ARGV;
die "usage: $0 text|binary SEED COUNT [DIR]\n" unless $mode && defined $count;
srand($seed);

sub pick { return $_[int(rand(@_))]; }
my @specials = ('NaN', 'Infinity', '-Infinity', '-1', '0', '-0', '1e308', '-1e308', '5e-324',
                '1e18', '-1e18', '9223372036854775807', '99999999999999999999', '2147483648',
                '0.5', '1e-308', '', ' ', 'x');

sub unescape { my $s = shift; $s =~ s/\\(.)/$1 eq 't' ? "\t" : $1 eq 'n' ? "\n" : $1 eq 'r' ? "\r" : $1/ge; return $s; }
sub escape { my $s = shift; $s =~ s/\\/\\\\/g; $s =~ s/\t/\\t/g; $s =~ s/\n/\\n/g; $s =~ s/\r/\\r/g; return $s; }

sub raw_mutation {
    my $s = shift;
    my $kind = pick('flip', 'flip', 'truncate', 'duplicate', 'delete');
    return ('empty', '') if $s eq '';
    my $i = int(rand(length $s));
    if ($kind eq 'flip') {
        my $c = ord(substr($s, $i, 1)) ^ (1 << int(rand(7)));
        $c = 1 if $c == 0;
        substr($s, $i, 1) = chr($c);
        return ("flip at $i", $s);
    }
    return ("truncate at $i", substr($s, 0, $i)) if $kind eq 'truncate';
    my $len = 1 + int(rand(length($s) - $i));
    if ($kind eq 'duplicate') {
        my $seg = substr($s, $i, $len);
        return ("duplicate $len at $i", substr($s, 0, $i) . $seg . $seg . substr($s, $i));
    }
    return ("delete $len at $i", substr($s, 0, $i) . substr($s, $i + $len));
}

# value_list text: version:width:params:count:items
sub value_list_mutation {
    my $s = shift;
    my @f = split /:/, $s, -1;
    return raw_mutation($s) unless @f == 5;
    my @params = length $f[2] ? split(/,/, $f[2], -1) : ();
    my @items = length $f[4] ? split(/,/, $f[4], -1) : ();
    my $what = pick('count', 'count', 'width', 'version', 'param', 'param', 'item', 'item',
                    'drop_param', 'add_param', 'drop_item', 'add_item', 'consistent_count');
    my $v = pick(@specials);
    if ($what eq 'count') { $f[3] = pick('99999999999', '9223372036854775807', '-1', '0', '1',
                                         $f[3] + 1, $f[3] > 0 ? $f[3] - 1 : 0, '134217727'); $v = $f[3]; }
    elsif ($what eq 'width') { $f[1] = pick(0, 1, 2, 3, 4, 7, 8, 9, 255, 256, -1); $v = $f[1]; }
    elsif ($what eq 'version') { $f[0] = pick(0, 2, 255, -1); $v = $f[0]; }
    elsif ($what eq 'param' && @params) { $params[int(rand(@params))] = $v; }
    elsif ($what eq 'item' && @items) { $items[int(rand(@items))] = $v; }
    elsif ($what eq 'drop_param' && @params) { splice(@params, int(rand(@params)), 1); }
    elsif ($what eq 'add_param') { push @params, $v; }
    elsif ($what eq 'drop_item' && @items) { splice(@items, int(rand(@items)), 1); }
    elsif ($what eq 'add_item') { push @items, $v; }
    elsif ($what eq 'consistent_count') {
        # items and count agree, but not with the width
        push @items, $v; $f[3] = scalar @items; $f[1] = 1;
    }
    else { return raw_mutation($s); }
    $f[2] = join(',', @params); $f[4] = join(',', @items);
    return ("$what:=$v", join(':', @f));
}

# float8[] text: {a,b,...}
sub array_mutation {
    my $s = shift;
    return raw_mutation($s) unless $s =~ /^\{(.*)\}$/;
    my @e = length $1 ? split(/,/, $1, -1) : ();
    my $what = pick('element', 'element', 'element', 'count', 'drop', 'add', 'nest', 'null');
    my $v = pick(@specials);
    if ($what eq 'element' && @e) { $e[int(rand(@e))] = $v eq '' ? 'NaN' : $v; }
    elsif ($what eq 'count' && @e) { $e[0] = pick('1e18', '-1', '-1e18', '9007199254740993', '1e308'); $v = $e[0]; }
    elsif ($what eq 'drop' && @e) { splice(@e, int(rand(@e)), 1); }
    elsif ($what eq 'add') { push @e, ($v eq '' ? '0' : $v); }
    elsif ($what eq 'nest') { return ('nested', '{{' . join(',', @e) . '},{' . join(',', @e) . '}}'); }
    elsif ($what eq 'null' && @e) { $e[int(rand(@e))] = 'NULL'; }
    else { return raw_mutation($s); }
    return ("$what:=$v", '{' . join(',', @e) . '}');
}

if ($mode eq 'text') {
    my @states = map { chomp; [split /\t/, $_, 3] } <STDIN>;
    die "no states\n" unless @states;
    for my $n (0 .. $count - 1) {
        my ($type, $origin, $state) = @{$states[$n % @states]};
        $state = unescape($state);
        my ($how, $m);
        if (rand() < 0.25) { ($how, $m) = raw_mutation($state); }
        elsif ($state =~ /^\{/) { ($how, $m) = array_mutation($state); }
        else { ($how, $m) = value_list_mutation($state); }
        # a second mutation now and then
        if (rand() < 0.2) { my ($h2, $m2) = raw_mutation($m); ($how, $m) = ("$how; $h2", $m2); }
        $m =~ s/\x00/\x01/g;
        print join("\t", $type, escape("$origin; $how"), escape($m)), "\n";
    }
    exit 0;
}

die "usage: $0 binary SEED COUNT DIR\n" unless $mode eq 'binary' && $dir;
local $/;
binmode STDIN;
my $copy = <STDIN>;
my $sig = "PGCOPY\n\377\r\n\0";
die "not a binary COPY file\n" unless substr($copy, 0, 11) eq $sig;
my $ext = unpack('N', substr($copy, 15, 4));
my $pos = 19 + $ext;
my $header = substr($copy, 0, $pos);
my @tuples;    # [id bytes field, state bytes]
while (1) {
    my $nf = unpack('n', substr($copy, $pos, 2)); $pos += 2;
    last if $nf == 0xFFFF;
    my @fields;
    for (1 .. $nf) {
        my $len = unpack('N', substr($copy, $pos, 4)); $pos += 4;
        if ($len == 0xFFFFFFFF) { push @fields, undef; next; }
        push @fields, substr($copy, $pos, $len); $pos += $len;
    }
    push @tuples, \@fields if @fields == 2 && defined $fields[1];
}
die "no tuples\n" unless @tuples;
my @fbits = (pack('d>', 'NaN'), pack('d>', 'Inf'), pack('d>', '-Inf'), pack('d>', -1), pack('d>', 1e308),
             pack('d>', 5e-324), pack('d>', 0), pack('d>', -0.0), pack('d>', 1e18));
open(my $idx, '>', "$dir/index.tsv") or die "$dir/index.tsv: $!\n";
for my $n (1 .. $count) {
    my ($idf, $st) = @{$tuples[($n - 1) % @tuples]};
    my $id = unpack('N', $idf);
    my $len = length $st;
    my $broken_frame = 0;
    my $what = pick('count', 'count', 'width', 'nparams', 'version', 'float', 'float', 'flip', 'flip',
                    'truncate', 'extend', 'frame');
    my $how = $what;
    # header: version(1) width(1) nparams(1) count(8), then float8 values
    if ($what eq 'count' && $len >= 11) {
        my $c = pick(-1, 0, 1, 2**31, 2**40, 9.2e18, -9.2e18, 134217727);
        substr($st, 3, 8) = pack('q>', $c); $how = "count:=$c";
    } elsif ($what eq 'width' && $len >= 2) {
        my $w = pick(0, 1, 2, 3, 8, 9, 255); substr($st, 1, 1) = chr($w); $how = "width:=$w";
    } elsif ($what eq 'nparams' && $len >= 3) {
        my $p = pick(0, 1, 4, 5, 255); substr($st, 2, 1) = chr($p); $how = "nparams:=$p";
    } elsif ($what eq 'version' && $len >= 1) {
        my $v = pick(0, 2, 255); substr($st, 0, 1) = chr($v); $how = "version:=$v";
    } elsif ($what eq 'float' && $len >= 19) {
        my $k = int(rand(int(($len - 11) / 8)));
        my $b = pick(@fbits); substr($st, 11 + 8 * $k, 8) = $b; $how = sprintf('float %d:=%s', $k, unpack('d>', $b));
    } elsif ($what eq 'flip' && $len > 0) {
        my $i = int(rand($len)); substr($st, $i, 1) = chr(ord(substr($st, $i, 1)) ^ (1 << int(rand(8))));
        $how = "flip at $i";
    } elsif ($what eq 'truncate' && $len > 0) {
        my $i = int(rand($len)); $st = substr($st, 0, $i); $how = "truncate at $i";
    } elsif ($what eq 'extend') {
        my $k = 1 + int(rand(3)); $st .= join('', map { pick(@fbits) } 1 .. $k); $how = "extend by $k floats";
    } else {
        $broken_frame = 1; $how = 'field length larger than the data';
    }
    open(my $out, '>', sprintf('%s/%04d.copy', $dir, $n)) or die "$dir: $!\n";
    binmode $out;
    print $out $header, pack('n', 2), pack('N', 4), pack('N', $n),
               pack('N', length($st) + ($broken_frame ? 8 : 0)), $st, pack('n', 0xFFFF);
    close $out;
    print $idx "$n\t$id\t$how\n";
}
close $idx;
