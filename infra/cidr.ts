export interface SubnetPlan {
  az: number;
  publicCidr: string;
  privateCidr: string;
}

function parseCidr(cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`Not an IPv4 CIDR: ${cidr}`);
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) throw new Error(`Not an IPv4 CIDR: ${cidr}`);
  const prefix = Number(match[5]);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) throw new Error(`${cidr} has host bits set`);
  return { base, prefix };
}

function format(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/**
 * Splits a /16../20 VPC range: the lower sixteenth holds one public subnet per AZ (1/64 of the VPC each,
 * /22 in a /16), the rest one large private subnet per AZ (1/4 of the VPC each, /18 in a /16): the
 * Fargate tasks and the database live in private subnets and need the addresses.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan[] {
  const { base, prefix } = parseCidr(vpcCidr);
  if (prefix < 16 || prefix > 20) throw new Error(`VPC range ${vpcCidr} must be between /16 and /20`);
  if (azCount < 2 || azCount > 3) throw new Error("azCount must be 2 or 3");
  const vpcSize = 2 ** (32 - prefix);
  const publicSize = vpcSize / 64;
  const privateSize = vpcSize / 4;
  return Array.from({ length: azCount }, (_, az) => ({
    az,
    publicCidr: format(base + az * publicSize, prefix + 6),
    privateCidr: format(base + (az + 1) * privateSize, prefix + 2),
  }));
}
