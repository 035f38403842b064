# Reads vagrant/settings.yaml (plus the HOPLAB_* environment overrides) into
# one flat, checked hash. Kept out of the Vagrantfile so it can be exercised
# with plain `ruby` where VirtualBox is absent (test/integration/vagrant-files.test.ts).
require "yaml"
require "ipaddr"

module Hoplab
  CNI_MODES = { "flannel" => %w[host-gw vxlan], "calico" => %w[ipip vxlan bgp] }.freeze
  CALICO_AUTODETECT = %w[interface can-reach].freeze
  ANSIBLE_MODES = %w[host local].freeze

  # Vagrant's well-known insecure private key (keys/vagrant up to 2.3, keys/vagrant.key.rsa after).
  def self.insecure_key_path(source_root)
    %w[vagrant.key.rsa vagrant].map { |f| File.join(source_root.to_s, "keys", f) }.find { |f| File.file?(f) } ||
      raise(SettingsError, "Vagrant's insecure key is not under #{source_root}/keys; ansible_local needs it")
  end

  # Where the playbook runs: HOPLAB_ANSIBLE, else the host when ansible-playbook is on PATH.
  def self.ansible_mode(env)
    mode = env["HOPLAB_ANSIBLE"].to_s
    return mode if ANSIBLE_MODES.include?(mode)
    raise SettingsError, "HOPLAB_ANSIBLE: expected host or local, got #{mode.inspect}" unless mode.empty?

    on_path = env["PATH"].to_s.split(File::PATH_SEPARATOR).any? do |dir|
      %w[ansible-playbook ansible-playbook.exe].any? { |f| File.executable?(File.join(dir, f)) }
    end
    on_path ? "host" : "local"
  end

  class SettingsError < StandardError; end

  # Path-aware field access: every error names the file and the dotted field.
  class Reader
    def initialize(path, data)
      @path = path
      @data = data
    end

    def get(dotted, type)
      value = dotted.split(".").reduce(@data) do |node, key|
        node.is_a?(Hash) ? node[key] : nil
      end
      raise SettingsError, "#{@path}: field '#{dotted}' is missing" if value.nil?
      unless value.is_a?(type)
        raise SettingsError, "#{@path}: field '#{dotted}' should be a #{type.name.downcase}, got #{value.inspect}"
      end
      value
    end

    def ip(dotted, value = get(dotted, String))
      IPAddr.new(value)
      value
    rescue IPAddr::InvalidAddressError
      raise SettingsError, "#{@path}: field '#{dotted}' should be an IPv4 address, got #{value.inspect}"
    end

    def positive(dotted)
      n = get(dotted, Integer)
      raise SettingsError, "#{@path}: field '#{dotted}' should be > 0, got #{n}" unless n.positive?
      n
    end
  end

  def self.parse_cni(text, origin)
    plugin, mode = text.to_s.split("-", 2)
    modes = CNI_MODES[plugin]
    unless modes&.include?(mode)
      all = CNI_MODES.flat_map { |p, ms| ms.map { |m| "#{p}-#{m}" } }.join(", ")
      raise SettingsError, "#{origin}: '#{text}' is not a CNI mode; expected one of #{all}"
    end
    [plugin, mode]
  end

  def self.load_settings(path, env = ENV)
    data = YAML.safe_load(File.read(path), filename: path)
    raise SettingsError, "#{path}: expected a mapping at the top level" unless data.is_a?(Hash)

    r = Reader.new(path, data)
    plugin, mode = parse_cni("#{r.get('cni.plugin', String)}-#{r.get('cni.mode', String)}", "#{path}: cni.plugin/cni.mode")
    plugin, mode = parse_cni(env["HOPLAB_CNI"], "HOPLAB_CNI") if env["HOPLAB_CNI"] && !env["HOPLAB_CNI"].empty?

    worker_ips = r.get("workers.ips", Array).each_with_index.map { |ip, i| r.ip("workers.ips[#{i}]", ip.to_s) }
    count = r.get("workers.count", Integer)
    if env["HOPLAB_WORKERS"] && !env["HOPLAB_WORKERS"].empty?
      unless env["HOPLAB_WORKERS"].match?(/\A\d+\z/)
        raise SettingsError, "HOPLAB_WORKERS: expected a whole number, got #{env['HOPLAB_WORKERS'].inspect}"
      end
      count = env["HOPLAB_WORKERS"].to_i
    end
    if count > worker_ips.size
      raise SettingsError, "#{path}: #{count} workers asked for but workers.ips lists only #{worker_ips.size} addresses"
    end

    autodetect = r.get("cni.calico_autodetect", String)
    unless CALICO_AUTODETECT.include?(autodetect)
      raise SettingsError, "#{path}: field 'cni.calico_autodetect' should be one of #{CALICO_AUTODETECT.join(', ')}, got #{autodetect.inspect}"
    end

    cp = {
      "name" => r.get("controlplane.name", String), "ip" => r.ip("controlplane.ip"), "role" => "controlplane",
      "cpus" => r.positive("controlplane.cpus"), "memory" => r.positive("controlplane.memory")
    }
    workers = (1..count).map do |i|
      { "name" => "#{r.get('workers.name_prefix', String)}#{i}", "ip" => worker_ips[i - 1], "role" => "worker",
        "cpus" => r.positive("workers.cpus"), "memory" => r.positive("workers.memory") }
    end

    bundle = env["HOPLAB_BUNDLE"].to_s
    unless bundle.empty? || File.directory?(bundle)
      raise SettingsError, "HOPLAB_BUNDLE: #{bundle} is not a directory (make one with hoplab vagrant prepare --out DIR)"
    end
    kube_version = r.get("kubernetes.version", String)
    package_version = r.get("kubernetes.package_version", String)
    unless package_version.start_with?("#{kube_version}.")
      raise SettingsError, "#{path}: field 'kubernetes.package_version' (#{package_version}) is not a #{kube_version}.x release"
    end

    {
      "lab" => env["HOPLAB_LAB"].to_s.empty? ? "hoplab" : env["HOPLAB_LAB"],
      "ansible_mode" => ansible_mode(env),
      "ansible_local_pip_spec" => r.get("ansible.local_pip_spec", String),
      "bundle" => bundle.empty? ? nil : File.expand_path(bundle),
      "box" => r.get("box.name", String),
      "box_version" => r.get("box.version", String),
      "nodes" => [cp] + workers,
      "host_only_cidr" => r.get("network.host_only_cidr", String),
      "pod_cidr" => r.get("network.pod_cidr", String),
      "service_cidr" => r.get("network.service_cidr", String),
      "kubernetes_version" => kube_version,
      "kubernetes_package_version" => package_version,
      "kubernetes_release" => "v#{package_version.split('-').first}",
      "kubernetes_sandbox_image" => r.get("kubernetes.sandbox_image", String),
      "kubernetes_other_images" => r.get("kubernetes.other_images", Array).map(&:to_s),
      "cni_plugin" => plugin,
      "cni_mode" => mode,
      "flannel_version" => r.get("cni.flannel_version", String),
      "calico_version" => r.get("cni.calico_version", String),
      "calico_autodetect" => autodetect
    }
  rescue Psych::SyntaxError => e
    raise SettingsError, "#{path}:#{e.line}:#{e.column}: not valid YAML (#{e.problem})"
  rescue Errno::ENOENT
    raise SettingsError, "#{path}: file not found"
  end
end
